import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import AlsoRead, Article


def ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def newsroom(make_article, make_section, make_tag):
    world, sport = make_section("World"), make_section("Sport")
    space, russia = make_tag("Space"), make_tag("Russia")
    story = make_article(headline="The story", section=world, tags=[space, russia], publish_at=ago(1))
    return {
        "story": story,
        "world": world,
        "sport": sport,
        "space": space,
        "russia": russia,
    }


def pick(story, target, after=1):
    AlsoRead.objects.create(article=story, target=target, after_paragraph=after)


def related_of(story, limit=4):
    return Article.objects.for_page().get(pk=story.pk).related(limit=limit)


def test_picks_first_then_shared_tags_then_section_newest_first(make_article, newsroom):
    story, world, sport = newsroom["story"], newsroom["world"], newsroom["sport"]
    same_section_new = make_article(headline="Section, new", section=world, publish_at=ago(2))
    same_tag_old = make_article(headline="Tag, old", section=sport, tags=[newsroom["space"]], publish_at=ago(50))
    same_tag_new = make_article(headline="Tag, new", section=sport, tags=[newsroom["russia"]], publish_at=ago(5))
    picked = make_article(headline="Picked", section=sport, publish_at=ago(300))
    make_article(headline="Unrelated", section=sport, publish_at=ago(1))
    pick(story, picked)
    assert related_of(story) == [picked, same_tag_new, same_tag_old, same_section_new]
    assert related_of(story, limit=2) == [picked, same_tag_new]


def test_never_itself_nor_unpublished(make_article, newsroom):
    story, world, space = newsroom["story"], newsroom["world"], newsroom["space"]
    hidden = [
        make_article(status=Article.Status.DRAFT, section=world, tags=[space]),
        make_article(status=Article.Status.IN_REVIEW, section=world, tags=[space]),
        make_article(status=Article.Status.WITHDRAWN, section=world, tags=[space], publish_at=ago(2)),
        make_article(status=Article.Status.SCHEDULED, section=world, tags=[space], publish_at=ago(-5)),
    ]
    for target in hidden:
        pick(story, target)
    assert related_of(story) == []


def test_shared_story_appears_once(make_article, newsroom):
    story, world = newsroom["story"], newsroom["world"]
    both = make_article(section=world, tags=[newsroom["space"], newsroom["russia"]], publish_at=ago(3))
    pick(story, both)
    assert related_of(story) == [both]


def test_related_on_the_story_page(client, make_article, newsroom):
    story = newsroom["story"]
    other = make_article(headline="Another space story", tags=[newsroom["space"]], section=newsroom["sport"])
    make_article(headline="Unpublished space story", status=Article.Status.DRAFT, tags=[newsroom["space"]])
    html = client.get(story.get_absolute_url()).content.decode()
    related = html[html.index('class="related"') :]
    assert other.headline in related
    assert "Unpublished space story" not in html
    assert f'href="{story.get_absolute_url()}"' not in related


def test_related_queries_do_not_grow(make_article, make_author, newsroom):
    story = newsroom["story"]

    def count(n):
        for _ in range(n):
            target = make_article(section=newsroom["sport"], authors=[make_author(), make_author()])
            pick(story, target)
            make_article(section=newsroom["world"], tags=[newsroom["space"]], authors=[make_author()])
        loaded = Article.objects.for_page().get(pk=story.pk)
        with CaptureQueriesContext(connection) as captured:
            assert len(loaded.related(limit=20)) >= n
        return len(captured)

    assert count(1) == count(5) <= 2
