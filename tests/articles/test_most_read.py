import datetime

import lxml.html
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReadCount
from articles.popularity import counter_key, flush_reads, hour_number, record_read


@pytest.fixture
def make_story(make_article):
    """A story published an hour ago: the fixture's default date drifts back with every story made."""

    def make(**kwargs):
        kwargs.setdefault("publish_at", timezone.now() - datetime.timedelta(hours=1))
        return make_article(**kwargs)

    return make


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def read(client, story, times=1):
    for _ in range(times):
        response = client.get(reverse("articles:read_beacon", args=[story.pk]))
        assert response.status_code == 200
    return response


def most_read_headlines(client):
    tree = lxml.html.fromstring(client.get(reverse("articles:home")).content)
    return [link.text for link in tree.xpath("//section[@class='most-read']//li/a")]


def test_story_page_carries_the_beacon(client, make_story):
    story = make_story()
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'<img class="read-beacon" src="{reverse("articles:read_beacon", args=[story.pk])}" alt=""' in html


def test_preview_has_no_beacon(client, make_story, editor):
    draft = make_story(status=Article.Status.DRAFT)
    client.force_login(editor)
    html = client.get(draft.get_short_url()).content.decode()
    assert "read-beacon" not in html


def test_beacon_counts_in_the_cache_without_db_writes_or_tracking(client, make_story):
    story = make_story()
    with CaptureQueriesContext(connection) as captured:
        response = read(client, story, times=3)
    assert captured.captured_queries == []
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.cookies
    assert cache.get(counter_key(story.pk, hour_number(timezone.now()))) == 3
    assert not ReadCount.objects.exists()


def test_flush_stores_counts_and_home_shows_most_read(client, make_story):
    popular, middling, quiet, unread = (
        make_story(headline=name) for name in ("Popular", "Middling", "Quiet", "Unread")
    )
    read(client, popular, 5)
    read(client, middling, 3)
    read(client, quiet, 1)
    assert most_read_headlines(client) == []
    call_command("flush_most_read")
    assert most_read_headlines(client) == ["Popular", "Middling", "Quiet"]
    assert ReadCount.objects.get(article=popular).reads == 5


def test_flush_is_repeatable_and_never_lowers_a_count(make_story):
    story = make_story()
    for _ in range(4):
        record_read(story.pk)
    assert flush_reads() == 1
    assert flush_reads() == 1
    assert ReadCount.objects.get().reads == 4
    cache.clear()
    record_read(story.pk)
    flush_reads()
    assert ReadCount.objects.get().reads == 4
    for _ in range(5):
        record_read(story.pk)
    flush_reads()
    assert ReadCount.objects.get().reads == 6


def test_hours_add_up_and_old_hours_drop_out(make_story, settings):
    settings.MOST_READ_HOURS = 24
    now = timezone.now()
    recent, stale = make_story(headline="Recent"), make_story(headline="Stale")
    for hours_ago in (0, 1, 2):
        record_read(recent.pk, now=now - datetime.timedelta(hours=hours_ago))
    for _ in range(10):
        record_read(stale.pk, now=now - datetime.timedelta(hours=30))
    flush_reads(hours=36, now=now)
    assert [(story.headline, story.reads) for story in Article.objects.most_read()] == [("Recent", 3)]


def test_unpublished_stories_never_listed(make_story):
    story = make_story()
    record_read(story.pk)
    flush_reads()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.WITHDRAWN)
    assert list(Article.objects.most_read()) == []


def test_home_most_read_queries_do_not_grow(client, make_story, make_author):
    def count(n):
        for _ in range(n):
            story = make_story(authors=[make_author(), make_author()])
            record_read(story.pk)
        flush_reads()
        with CaptureQueriesContext(connection) as captured:
            html = client.get(reverse("articles:home")).content.decode()
        assert 'class="most-read"' in html
        return len(captured)

    assert count(1) == count(6)
