"""Nothing a reader does flushes stored pages: only what readers see changing does."""

import pytest
from django.core.cache import cache
from django.test import Client

from comments.models import Comment, Commenter
from pagecache.invalidation import GENERATION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_article):
    return make_article(headline="Council approves new budget")


@pytest.fixture
def stored(story):
    """The story page and the home page, stored; returns a check that both are still served from the cache."""
    urls = [story.get_absolute_url(), "/"]
    for url in urls:
        Client().get(url)
    generation = cache.get(GENERATION_KEY)

    def still_stored(django_assert_num_queries):
        assert cache.get(GENERATION_KEY) == generation
        with django_assert_num_queries(0):
            for url in urls:
                assert Client().get(url).status_code == 200

    return still_stored


def post(story, body, email="ada@example.org"):
    data = {"author_name": "Ada", "email": email, "body": body, "parent": "", "website": ""}
    return Client().post(f"/comments/post/{story.pk}/", data, REMOTE_ADDR="203.0.113.7")


def test_a_pending_comment_flushes_nothing(story, stored, django_assert_num_queries):
    assert post(story, "Awaiting a moderator.").status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    stored(django_assert_num_queries)


def test_rejecting_or_marking_spam_a_pending_comment_flushes_nothing(story, stored, django_assert_num_queries):
    post(story, "First pending.")
    post(story, "Second pending.", email="bo@example.org")
    first, second = Comment.objects.order_by("pk")
    Comment.objects.filter(pk=first.pk).moderate(Comment.Status.REJECTED, None, "Off topic")
    second.status = Comment.Status.SPAM
    second.save()
    stored(django_assert_num_queries)


def test_a_report_flushes_nothing(story, django_assert_num_queries):
    comment = Comment.objects.create(
        article=story, author_name="Bo", email="bo@example.org", body="Shown.", status=Comment.Status.APPROVED
    )
    url = story.get_absolute_url()
    Client().get(url)
    generation = cache.get(GENERATION_KEY)
    response = Client().post(f"/comments/{comment.pk}/flag/", {"reason": "abuse"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.open_flags == 1
    assert cache.get(GENERATION_KEY) == generation
    with django_assert_num_queries(0):
        Client().get(url)


def test_what_readers_see_changing_still_shows_at_once(story):
    url = story.get_absolute_url()
    Commenter.objects.create(email="trusted@example.org", trust=Commenter.Trust.TRUSTED)
    Client().get(url)
    post(story, "Published at once.", email="trusted@example.org")
    assert "Published at once." in Client().get(url).content.decode()

    post(story, "Approved later.")
    pending = Comment.objects.get(status=Comment.Status.PENDING)
    pending.status = Comment.Status.APPROVED
    pending.save()
    assert "Approved later." in Client().get(url).content.decode()

    pending.body = "Approved later, and edited."
    pending.save()
    assert "Approved later, and edited." in Client().get(url).content.decode()

    Comment.objects.filter(pk=pending.pk).moderate(Comment.Status.REJECTED, None, "Taken down")
    assert "Approved later" not in Client().get(url).content.decode()
