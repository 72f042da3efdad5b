"""Redis down is not a 500: pages are rendered without the cache, within a bounded time, until it is back.

Each test starts its own redis-server on a free port and stops it (or freezes
it) half-way, so the shared Redis other tests use is never touched.
"""

import os
import shutil
import signal
import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.models import Article
from pagecache import invalidation
from pagecache.middleware import RETRY_SECONDS
from tests.articles.test_revisions import story_form
from tests.servers import RedisServer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not shutil.which("redis-server") and not os.environ.get("CI"),
        reason="needs redis-server (apt-get install redis-server)",
    ),
]
TIMEOUT = 0.2


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    redis = {
        "BACKEND": "newsdesk.redis_cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{server.port}/0",
        "KEY_PREFIX": "down-test",
        "OPTIONS": {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT},
    }
    settings.CACHES = {"default": redis, "fragments": redis}
    yield server
    server.close()
    invalidation._missed.clear()


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def stored_pages():
    return sum(1 for _ in cache._cache.get_client().scan_iter(match=cache.make_key("pages:*")))


def test_pages_render_while_redis_is_down_and_are_stored_again_once_it_is_back(
    redis_server, make_article, django_assert_num_queries
):
    story = make_article(headline="Still readable")
    reader = Client()
    assert reader.get("/").status_code == 200
    assert stored_pages() > 0

    redis_server.stop()
    for url in ("/", story.get_absolute_url(), "/", "/feeds/rss/"):
        response, seconds = timed_get(reader, url)
        assert response.status_code == 200, url
        assert seconds < 2
        assert "private" in response["Cache-Control"]
    assert "Still readable" in reader.get(story.get_absolute_url()).content.decode()

    redis_server.start()
    time.sleep(RETRY_SECONDS + 0.1)
    assert reader.get("/").status_code == 200
    assert stored_pages() > 0
    with django_assert_num_queries(0):
        assert "public" in reader.get("/")["Cache-Control"]


def test_a_redis_that_stops_answering_costs_a_bounded_wait_not_a_hang(redis_server, make_article):
    make_article()
    reader = Client()
    reader.get("/")
    redis_server.process.send_signal(signal.SIGSTOP)  # Connections stay open; nothing answers.
    response, seconds = timed_get(reader, "/")
    assert response.status_code == 200
    assert seconds < 2 + 4 * TIMEOUT
    # Meanwhile the cache is not asked again at every page: no further wait.
    response, seconds = timed_get(reader, "/")
    assert response.status_code == 200
    assert seconds < 2


def test_a_change_committed_while_redis_is_unreachable_is_not_lost(redis_server, make_article):
    story = make_article(headline="Before the outage")
    reader = Client()
    assert "Before the outage" in reader.get(story.get_absolute_url()).content.decode()
    redis_server.process.send_signal(signal.SIGSTOP)
    story.headline = "Changed during the outage"
    story.save()
    Client().get("/")  # Runs the change's on-commit work (see tests/conftest.py): it cannot reach the cache.
    assert invalidation._missed
    redis_server.process.send_signal(signal.SIGCONT)
    time.sleep(RETRY_SECONDS + 0.1)
    assert "Changed during the outage" in Client().get(story.get_absolute_url()).content.decode()


def test_a_change_whose_write_times_out_is_recorded_for_its_own_pages_once_redis_answers(
    redis_server, make_article, make_section, django_capture_on_commit_callbacks
):
    """Redis up but late to answer (on a saturated machine the process may wait for a CPU past the timeout):
    the change's tags get their new versions as soon as it answers, and only their pages go stale, not every
    page (a new generation, every page purged hard at the edge)."""
    story = make_article(headline="Before the late answer", section=make_section("City"))
    other = make_article(headline="Rovers win", section=make_section("Sport"))  # no related story in common
    reader = Client()
    for page in (story, other):
        reader.get(page.get_absolute_url())
    generation = cache.get(invalidation.GENERATION_KEY)
    story.headline = "After the late answer"
    with django_capture_on_commit_callbacks() as committed:
        story.save()
    # Writes wait ten timeouts: the change's write gives up. Its on-commit work is run here, not by a
    # request: a request's render may already record the missed tags once the pause is over.
    pause = TIMEOUT * 10
    redis.Redis.from_url(redis_server.url).execute_command("CLIENT", "PAUSE", int(pause * 1000), "WRITE")
    for callback in committed:
        callback()
    assert f"story:{story.pk}" in invalidation._missed.tags and not invalidation._missed.site
    time.sleep(pause + RETRY_SECONDS + 0.1)
    assert "After the late answer" in reader.get(story.get_absolute_url()).content.decode()
    assert not invalidation._missed
    assert cache.get(invalidation.GENERATION_KEY) == generation
    assert reader.get(other.get_absolute_url())["X-Page-Cache"] == "hit"


def test_an_editor_saves_a_story_while_redis_is_unreachable(redis_server, make_article, editor):
    """The admin reads the user's two-factor rules stamp from the cache: unreadable, the state is decided from
    the database, and the save goes through (it was a 503)."""
    story = make_article(headline="Before the outage")
    admin = Client()
    admin.force_login(editor)
    assert admin.get(reverse("admin:articles_article_change", args=[story.pk])).status_code == 200
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        form = story_form(story, headline="Saved during the outage")
        response = admin.post(reverse("admin:articles_article_change", args=[story.pk]), form)
    finally:
        redis_server.process.send_signal(signal.SIGCONT)
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Saved during the outage"
