"""The embedded default cache: counters shared by processes keep every count and their expiry."""

import os
import pickle
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache, caches

pytestmark = pytest.mark.skipif(bool(settings.REDIS_URL), reason="the file cache is the default without REDIS_URL")

COUNT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
django.setup()
from django.core.cache import cache
for _ in range(100):
    try:
        cache.incr("shared-counter")
    except ValueError:
        if not cache.add("shared-counter", 1, 3600):
            cache.incr("shared-counter")
"""


def test_processes_counting_at_once_lose_no_count():
    counters = [
        subprocess.Popen([sys.executable, "-c", COUNT], cwd=settings.BASE_DIR, env=os.environ) for _ in range(4)
    ]
    assert [counter.wait(timeout=60) for counter in counters] == [0] * 4
    assert cache.get("shared-counter") == 400


def test_incr_keeps_the_expiry_the_counter_was_added_with():
    cache.add("counter", 1, timeout=2 * 24 * 3600)
    assert cache.incr("counter", 2) == 3
    with open(cache._key_to_file("counter"), "rb") as file:
        assert pickle.load(file) > time.time() + 24 * 3600
    assert cache.get("counter") == 3


def test_incr_of_a_missing_or_expired_key_is_a_value_error():
    with pytest.raises(ValueError):
        cache.incr("never-set")
    cache.set("short-lived", 1, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("short-lived")


def test_set_many_makes_room_once_for_all_its_entries(monkeypatch):
    listings = []
    backend = caches["default"]
    list_files = backend._list_cache_files
    monkeypatch.setattr(backend, "_list_cache_files", lambda: listings.append(1) or list_files())
    backend.set_many({f"piece-{n}": n for n in range(10)}, 60)
    assert len(listings) == 1
    assert backend.get_many([f"piece-{n}" for n in range(10)]) == {f"piece-{n}": n for n in range(10)}
    backend.set("one-more", 1, 60)
    assert len(listings) == 2, "a single set makes room again"
