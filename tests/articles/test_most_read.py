import datetime
import itertools

import lxml.html
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReadCount
from articles.popularity import counter_key, flush_reads, hour_number, reader_key, record_read

_readers = itertools.count(1)


def next_reader():
    """A reader not seen before: each counts once per story per hour."""
    return f"2001:db8:{next(_readers):x}::1"


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
        response = client.get(reverse("articles:read_beacon", args=[story.pk]), REMOTE_ADDR=next_reader())
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


def test_beacon_counts_in_the_cache_without_db_writes_or_tracking(client, make_story, django_assert_num_queries):
    story = make_story()
    with django_assert_num_queries(1):  # is the story live? Asked once, then remembered
        read(client, story)
    with django_assert_num_queries(0):
        response = read(client, story, times=2)
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
        record_read(story.pk, next_reader())
    assert flush_reads() == 1
    assert flush_reads() == 1
    assert ReadCount.objects.get().reads == 4
    cache.clear()
    record_read(story.pk, next_reader())
    flush_reads()
    assert ReadCount.objects.get().reads == 4
    for _ in range(5):
        record_read(story.pk, next_reader())
    flush_reads()
    assert ReadCount.objects.get().reads == 6


def test_hours_add_up_and_old_hours_drop_out(make_story, settings):
    settings.MOST_READ_HOURS = 24
    now = timezone.now()
    recent, stale = make_story(headline="Recent"), make_story(headline="Stale")
    for hours_ago in (0, 1, 2):
        record_read(recent.pk, next_reader(), now=now - datetime.timedelta(hours=hours_ago))
    for _ in range(10):
        record_read(stale.pk, next_reader(), now=now - datetime.timedelta(hours=30))
    flush_reads(hours=36, now=now)
    assert [(story.headline, story.reads) for story in Article.objects.most_read()] == [("Recent", 3)]


def test_unpublished_stories_never_listed(make_story):
    story = make_story()
    record_read(story.pk, next_reader())
    flush_reads()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.WITHDRAWN)
    assert list(Article.objects.most_read()) == []


def test_home_most_read_queries_do_not_grow(client, make_story, make_author):
    def count(n):
        for _ in range(n):
            story = make_story(authors=[make_author(), make_author()])
            record_read(story.pk, next_reader())
        flush_reads()
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as captured:
            html = client.get(reverse("articles:home")).content.decode()
        assert 'class="most-read"' in html
        return len(captured)

    assert count(1) == count(6)


def beacon(client, story_id, ip):
    return client.get(reverse("articles:read_beacon", args=[story_id]), REMOTE_ADDR=ip)


def test_one_reader_counts_once_per_story_per_hour(client, make_story):
    """400 beacon hits from one client once put a story at the top of Most read."""
    story, other = make_story(headline="Hammered"), make_story(headline="Read by three")
    for _ in range(400):
        assert beacon(client, story.pk, "203.0.113.9").status_code == 200
    for ip in ("192.0.2.1", "192.0.2.2", "2001:db8::1"):
        beacon(client, other.pk, ip)
    beacon(client, other.pk, "2001:db8::2")  # the same /64: the same reader
    hour = hour_number(timezone.now())
    assert cache.get(counter_key(story.pk, hour)) == 1
    assert cache.get(counter_key(other.pk, hour)) == 3
    flush_reads()
    assert [a.headline for a in Article.objects.most_read()] == ["Read by three", "Hammered"]


def test_the_next_hour_counts_the_reader_again(make_story):
    story = make_story()
    now = timezone.now()
    assert record_read(story.pk, "203.0.113.9", now=now)
    assert not record_read(story.pk, "203.0.113.9", now=now)
    assert record_read(story.pk, "203.0.113.9", now=now + datetime.timedelta(hours=1))


def test_the_readers_key_names_nobody_and_changes_every_hour(settings):
    first, next_hour = reader_key(7, 100, "203.0.113.9"), reader_key(7, 101, "203.0.113.9")
    assert "203.0.113" not in first and first != next_hour
    assert first.rsplit(":", 1)[1] != next_hour.rsplit(":", 1)[1]
    settings.READS_KEY = "another key"
    assert reader_key(7, 100, "203.0.113.9") != first


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.WITHDRAWN])
def test_beacons_for_unpublished_or_missing_stories_create_no_counters(client, make_story, status):
    story = make_story()
    Article.objects.filter(pk=story.pk).update(status=status)
    hour = hour_number(timezone.now())
    for story_id in (story.pk, 987654321):
        assert beacon(client, story_id, "203.0.113.9").status_code == 200
        assert cache.get(counter_key(story_id, hour)) is None
