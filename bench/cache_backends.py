#!/usr/bin/env python3
"""What a page-cache hit and a read count cost on each cache backend, side by side in one run.

The embedded default keeps the cache in files every process shares
(newsdesk/file_cache.py); local memory is what it replaced (one cache per
process) and Redis is the scale-out choice. A hit is timed through the whole
middleware stack with Django's test client: the home page is stored once,
then fetched again and again; the read counter is ``record_read``, which every
story view's beacon calls. The database and the file cache live in a
temporary directory; Redis is left out when it does not answer.

    .venv/bin/python bench/cache_backends.py [--repeat 3000] [--rounds 10] [--redis redis://127.0.0.1:6379/0]
"""

import argparse
import datetime
import functools
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-cache-"))
os.environ.update(DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}", CACHE_DIR=str(work / "cache"), REDIS_URL="")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Author, Byline, Section  # noqa: E402
from articles.popularity import record_read  # noqa: E402
from pagecache.invalidation import new_generation  # noqa: E402


def backends(redis_url):
    found = {
        "local memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared files": settings.CACHES["default"],
    }
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url).ping()
            found["Redis"] = {
                "BACKEND": "newsdesk.redis_cache.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "bench-cache-backends",
            }
        except redis.ConnectionError:
            print(f"Redis at {redis_url} does not answer: left out")
    return found


def fill_site(stories=30):
    call_command("migrate", verbosity=0)
    section = Section.objects.create(name="World", slug="world")
    author = Author.objects.create(name="News Desk", slug="news-desk", kind=Author.Kind.DESK)
    now = timezone.now()
    for n in range(stories):
        story = Article.objects.create(
            headline=f"Story number {n} about the council budget",
            slug=f"story-{n}",
            standfirst="One or two sentences under the headline, as every story has.",
            body="<p>A paragraph of the story.</p>" * 20,
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(minutes=n),
        )
        Byline.objects.create(article=story, author=author)
    return story


def timings(call, repeat):
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        found.append((time.perf_counter() - start) * 1e6)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3000, help="Calls per measure; the median is printed.")
    parser.add_argument("--rounds", type=int, default=10, help="Turns the backends take (default 10).")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    story = fill_site()
    client = Client(SERVER_NAME="localhost")
    configs = backends(args.redis)
    hits, reads = {name: [] for name in configs}, {name: [] for name in configs}
    # A new reader each time: a reader's second read in an hour is not counted (popularity.py).
    readers = itertools.count()
    # Rounds taking turns, so that a busy moment of the machine weighs on every backend alike.
    for _ in range(args.rounds):
        for name, config in configs.items():
            with override_settings(CACHES={"default": config}):
                new_generation()
                first = client.get("/")
                assert first.status_code == 200 and "public" in first["Cache-Control"], name
                get = functools.partial(client.get, "/", HTTP_ACCEPT_ENCODING="gzip")
                with CaptureQueriesContext(connection) as queries:
                    hits[name] += timings(get, args.repeat // args.rounds)
                # Every call was a hit, unless something else emptied the cache meanwhile.
                assert not queries.captured_queries, f"{name}: pages were rendered, not served from the cache"
                reads[name] += timings(
                    lambda: record_read(story.pk, f"reader {next(readers)}"), args.repeat // args.rounds
                )
    results = {name: (statistics.median(hits[name]), statistics.median(reads[name])) for name in configs}
    floor_hit, floor_read = results["local memory"]
    print(f"median of {args.repeat} calls; home page of {len(first.content):,} bytes, served gzipped from the cache")
    print(f"{'backend':<14} {'page hit':>10} {'vs memory':>10} {'read count':>11} {'vs memory':>10}")
    for name, (hit, read) in results.items():
        print(f"{name:<14} {hit:8.0f} µs {hit / floor_hit:9.2f}× {read:8.0f} µs {read / floor_read:9.2f}×")


if __name__ == "__main__":
    main()
