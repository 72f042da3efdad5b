import pytest
from django.core.management import call_command

from comments.models import Comment, Flag
from demo.content import THREADS

pytestmark = pytest.mark.django_db


def test_demo_comments_load_once_under_demo_stories_only(client, make_article):
    slug = "river-nations-agree-to-share-drought-data"
    story = make_article(slug=slug)
    editors_story = make_article()
    Comment.objects.create(article=editors_story, author_name="A reader", email="reader@example.org", body="Mine.")
    call_command("load_demo_comments", verbosity=0)
    call_command("load_demo_comments", verbosity=0)
    assert Comment.objects.filter(article=story).count() == len(THREADS[slug])
    assert Comment.objects.filter(article=editors_story).count() == 1
    reply = Comment.objects.get(article=story, body__startswith="Fair point.")
    assert reply.parent.parent.parent is None and reply.parent.author_name == "Ingrid Solberg"
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'Replying to <a href="#comment-{reply.parent_id}">Ingrid Solberg</a>' in html
    assert "Does the accord say anything about groundwater?" not in html
    assert not Flag.objects.exists()
