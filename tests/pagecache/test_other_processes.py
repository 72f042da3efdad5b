"""What another process does (a shell, a management command, a second worker) shows on the next request.

The default cache, without Redis, is a directory every process shares; these
tests change things in a ``manage.py`` process of their own and look from
this one, against the same database and cache.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.popularity import record_read
from pagecache.middleware import page_key
from tests.workers import database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def manage(*args):
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def html(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_story_changed_in_a_shell_shows_on_the_next_request(make_article):
    story = make_article(headline="Headline as filed")
    assert "Headline as filed" in html(story.get_absolute_url())
    assert "Headline as filed" in html("/")

    manage(
        "shell",
        "-c",
        f"from articles.models import Article; s = Article.objects.get(pk={story.pk}); "
        "s.headline = 'Headline changed elsewhere'; s.save()",
    )

    assert "Headline changed elsewhere" in html(story.get_absolute_url())
    assert "Headline changed elsewhere" in html("/")


def test_a_worker_serving_its_own_copy_of_a_page_sees_a_change_made_in_another_process(
    make_article, django_assert_num_queries
):
    """A worker keeps a ready copy of each page it serves and does not read the page from the cache again
    while it is fresh; a change committed by another process still shows on the worker's next request."""
    story = make_article(headline="Headline as filed")
    url = story.get_absolute_url()
    worker = Client()  # one middleware, as in one gunicorn worker
    assert "Headline as filed" in worker.get(url).content.decode()
    cache.delete(page_key(f"http://testserver{url}"))
    with django_assert_num_queries(0):
        assert "Headline as filed" in worker.get(url).content.decode()  # its copy: the cache has none

    manage(
        "shell",
        "-c",
        f"from articles.models import Article; s = Article.objects.get(pk={story.pk}); "
        "s.headline = 'Headline changed elsewhere'; s.save()",
    )

    assert "Headline changed elsewhere" in worker.get(url).content.decode()


def test_flush_most_read_in_another_process_sees_the_reads_counted_here(make_article):
    story = make_article(headline="Much read story")
    for n in range(3):
        beacon = reverse("articles:read_beacon", args=[story.pk])
        assert Client().get(beacon, REMOTE_ADDR=f"192.0.2.{10 + n}").status_code == 200
    record_read(story.pk, "192.0.2.1")
    assert 'class="most-read"' not in html("/")

    assert "Stored 1 story-hour read counts." in manage("flush_most_read")

    home = html("/")
    assert "Much read story" in home[home.index('class="most-read"') :]
    assert story.read_counts.get().reads == 4
