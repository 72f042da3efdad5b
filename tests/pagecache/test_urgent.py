"""Urgent changes are never served stale: while one request rebuilds a page, the others get the previous copy
only after a routine change.

Each test holds the page's rebuild lock as another request would while it renders, so that the reader here
is served either the previous copy (``X-Page-Cache: stale``) or, once the lock is let go, a page of its own.
"""

import datetime
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from pagecache import middleware
from pagecache.invalidation import invalidate_site
from pagecache.middleware import page_key
from tests.pagecache import racing_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_rebuilds(monkeypatch):
    """A reader waits for a rebuild no longer than the test's lock (a second) lives."""
    monkeypatch.setattr(middleware, "REBUILD_SECONDS", 1.5)


def rebuilding(path):
    """Take the rebuild lock of ``path`` for a second, as a request rendering it does."""
    assert cache.add(page_key("http://testserver" + path) + ":rebuild", 1, 1)


def read(path):
    response = Client().get(path)
    return response.status_code, response.get("X-Page-Cache"), response.content.decode()


def test_after_a_routine_edit_readers_get_the_previous_copy_while_the_page_is_rebuilt(make_article):
    story = make_article(headline="Harbour bridge reopens")
    assert read("/")[:2] == (200, "miss")
    story.headline = "Harbour bridge reopens after repairs"
    story.save()
    rebuilding("/")
    status, state, body = read("/")
    assert (status, state) == (200, "stale") and "Harbour bridge reopens<" in body
    time.sleep(1.1)
    assert "Harbour bridge reopens after repairs" in read("/")[2]


@pytest.mark.parametrize("take_down", ["withdraw", "unpublish", "delete"])
def test_a_story_taken_down_is_never_served_from_a_stale_copy(make_article, take_down):
    make_article(headline="Already out")
    story = make_article(headline="Harbour bridge reopens")
    url = story.get_absolute_url()
    for path in ("/", url):
        assert "Harbour bridge reopens" in read(path)[2]
    story = Article.objects.get(pk=story.pk)
    if take_down == "withdraw":
        story.withdraw()
    elif take_down == "unpublish":
        story.status = Article.Status.DRAFT
        story.save()
    else:
        story.delete()
    for path in ("/", url):
        rebuilding(path)
        status, state, body = read(path)
        assert state != "stale" and "Harbour bridge reopens" not in body, path
        assert status == (200 if path == "/" else 410 if take_down == "withdraw" else 404)


def test_a_comment_taken_down_is_never_served_from_a_stale_copy(make_article):
    story = make_article()
    Comment.objects.create(
        article=story, author_name="Ada", email="ada@example.org", body="Libellous claim.", status="approved"
    )
    url = story.get_absolute_url()
    assert "Libellous claim." in read(url)[2]
    Comment.objects.filter(article=story).moderate(Comment.Status.REJECTED, None)
    rebuilding(url)
    status, state, body = read(url)
    assert (status, state) == (200, "miss") and "Libellous claim." not in body


def test_a_site_wide_change_is_never_served_from_a_stale_copy(make_article):
    make_article(headline="Harbour bridge reopens")
    read("/")
    invalidate_site()
    rebuilding("/")
    assert read("/")[1] == "miss"


def test_a_page_is_not_served_stale_past_a_go_live(make_article):
    make_article(headline="Already out")
    go_live = timezone.now() + datetime.timedelta(seconds=1)
    make_article(headline="Embargoed story", status=Article.Status.SCHEDULED, publish_at=go_live)
    assert "Embargoed story" not in read("/")[2]
    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.05)
    rebuilding("/")
    status, state, body = read("/")
    assert (status, state) == (200, "miss") and "Embargoed story" in body


@pytest.fixture
def racing(settings):
    settings.ROOT_URLCONF = "tests.pagecache.racing_urls"
    yield
    racing_urls.wait_until.clear()
    racing_urls.to_schedule.clear()


def test_a_story_going_live_during_the_render_bounds_the_stored_page(racing, make_article):
    """The bound (the next go-live) is read before the render: read after it, it would be the next one, and a
    page rendered without the story would be kept for PAGE_CACHE_SECONDS."""
    go_live = timezone.now() + datetime.timedelta(seconds=0.5)
    make_article(headline="Embargoed story", status=Article.Status.SCHEDULED, publish_at=go_live)
    racing_urls.wait_until.append(go_live + datetime.timedelta(seconds=0.05))
    response = Client().get("/live-list/")
    assert "Embargoed story" not in response.content.decode()
    assert "private" in response["Cache-Control"], "its time ran out during the render: neither kept nor public"
    status, state, body = read("/live-list/")
    assert (status, state, body) == (200, "miss", "Embargoed story")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the schedule commits during the render
def test_a_story_scheduled_during_the_render_bounds_the_stored_page(racing, make_article):
    """The other way round: a go-live scheduled during the render (the bound read before it is none) changes the
    tags of the lists the story will join, so the page is not kept as fresh, and the next render has the bound."""
    story = make_article(headline="Embargoed story", status=Article.Status.DRAFT)
    go_live = timezone.now() + datetime.timedelta(seconds=1.5)
    racing_urls.to_schedule.append((story, go_live))
    response = Client().get("/live-list/")
    assert response.content.decode() == "" and "s-maxage=0" in response["Cache-Control"]
    assert read("/live-list/")[1] == "miss"
    assert read("/live-list/")[1] == "hit"
    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.05)
    rebuilding("/live-list/")
    status, state, body = read("/live-list/")
    assert (status, state, body) == (200, "miss", "Embargoed story")
