"""Benchmark: a live story under a spike of readers while an update arrives every minute.

Runs against a throw-away test database (SQLite, or PostgreSQL when
DATABASE_URL is set; Redis when REDIS_URL is set, else the file cache) and
prints, for the page cache on and then off (side by side, same load):

- the hit rate: requests answered from a stored page without any SQL;
- the render cost per update: the time and SQL queries of the requests that
  had to render in the minute after each update (the story page and the
  poll answer), summed;
- the mean cost of a request.

Each simulated minute an editor posts an update (a commit: stored pages go
stale), then READERS readers each load the story once in ``--loads`` minutes
and poll ``updates.json?since=<their last update>`` every LIVE_POLL_SECONDS
(readers that join late carry older ids). Time is simulated: the requests
run back to back, one process, so the numbers are the server's cost, not a
load test (bench/run does that, with wrk and gunicorn).

    python bench/live_story.py [--readers 500] [--minutes 5] [--loads 5]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Author, Byline, LiveUpdate, Section  # noqa: E402
from pagecache.invalidation import new_generation  # noqa: E402


def live_story():
    section = Section.objects.create(name="World", slug="world")
    story = Article.objects.create(
        headline="Election night as it happened",
        slug="election-night",
        section=section,
        standfirst="Results from every constituency, as they come in.",
        body="<p>Polls closed at 10pm.</p>" * 5,
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now(),
        live_coverage=True,
    )
    Byline.objects.create(article=story, author=Author.objects.create(name="Politics Desk", slug="politics"))
    for n in range(40):  # an evening's worth already posted
        LiveUpdate.objects.create(article=story, headline=f"Result {n}", body=f"<p>Seat {n} declared.</p>" * 3)
    return story


def post_update(story, n):
    with transaction.atomic():  # a real commit: stored pages go stale on it
        LiveUpdate.objects.create(article=story, headline=f"Update {n}", body=f"<p>Seat {n} declared.</p>" * 3)


def run(story, readers, minutes, loads, seed=1):
    """(requests, hits, renders, render seconds, render queries (each per update), mean ms per request)."""
    client, rng = Client(), random.Random(seed)
    page, poll = story.get_absolute_url(), reverse("articles:live_updates", args=[story.pk])
    polls_per_minute = max(60 // settings.LIVE_POLL_SECONDS, 1)
    first = LiveUpdate.objects.order_by("pk").first().pk
    seen = {reader: LiveUpdate.objects.latest("pk").pk - rng.randrange(3) for reader in range(readers)}
    requests = hits = 0
    total = 0.0
    render_seconds, render_queries, renders = [], [], []
    for minute in range(minutes):
        post_update(story, minute)
        spent, queries, rendered = 0.0, 0, 0
        # Each poll round, every reader asks once; a share of them (re)load the page itself.
        calls = []
        for _ in range(polls_per_minute):
            for reader in range(readers):
                calls.append((reader, rng.random() < 1 / (loads * polls_per_minute)))
        rng.shuffle(calls)
        for reader, loads_page in calls:
            url = page if loads_page else f"{poll}?since={max(seen[reader], first)}"
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
            ran = len(captured.captured_queries)
            connection.queries_log.clear()  # counted above; a full log (9000) would hide the next queries
            assert response.status_code == 200, (url, response.status_code)
            requests += 1
            total += elapsed
            if ran:
                spent += elapsed
                queries += ran
                rendered += 1
            else:
                hits += 1
            if not loads_page:
                seen[reader] = response.json()["latest"]
        render_seconds.append(spent)
        render_queries.append(queries)
        renders.append(rendered)
    per_update = [statistics.mean(values) for values in (renders, render_seconds, render_queries)]
    return requests, hits, *per_update, total / requests * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--minutes", type=int, default=5)
    parser.add_argument("--loads", type=int, default=5, help="a reader reloads the page once in this many minutes")
    options = parser.parse_args()
    setup_test_environment()  # the test client's host name
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        story = live_story()
        backend = "Redis" if settings.REDIS_URL else "file cache"
        print(
            f"{options.readers} readers polling every {settings.LIVE_POLL_SECONDS} s, one update a minute, "
            f"{options.minutes} minutes; {connection.vendor}, {backend}"
        )
        print(
            f"{'page cache':>10} {'requests':>9} {'hit rate':>9} {'renders/update':>15} {'render ms/update':>17} "
            f"{'queries/update':>15} {'ms/request':>11}"
        )
        for cache_seconds in (600, 0):
            settings.PAGE_CACHE_SECONDS = cache_seconds
            new_generation()  # stored pages stale, as after a change; never a flush of a shared Redis
            requests, hits, renders, seconds, queries, mean_ms = run(
                story, options.readers, options.minutes, options.loads
            )
            label = "on" if cache_seconds else "off"
            print(
                f"{label:>10} {requests:>9} {hits / requests:>9.1%} {renders:>15.1f} {seconds * 1000:>17.1f} "
                f"{queries:>15.0f} {mean_ms:>11.3f}"
            )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
