"""Benchmark: a story page's time and SQL queries as its comments grow.

Runs against a throw-away test database (SQLite, or PostgreSQL when
DATABASE_URL is set) and prints one line per size:

    python benchmarks/comments_story_page.py [SIZE ...]
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from comments.models import Comment  # noqa: E402

RUNS = 15


def story_with_comments(section, size):
    """A story whose comments come in threads of one root and up to nine replies in a chain."""
    story = Article.objects.create(
        headline=f"Story with {size} comments",
        slug=f"story-{size}",
        section=section,
        body="<p>Text.</p>",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now(),
    )
    parent = None
    for n in range(size):
        parent = Comment.objects.create(
            article=story,
            parent=parent if n % 10 else None,
            author_name=f"Reader {n}",
            email=f"r{n}@example.org",
            body=f"Comment {n}.\nA second line.",
            status=Comment.Status.APPROVED,
        )
    return story


def main(sizes):
    # No setup_test_environment(): its template instrumentation would dominate the timings.
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        section = Section.objects.create(name="World", slug="world")
        client = Client(HTTP_HOST="localhost")
        print(f"{'comments':>8} {'queries':>7} {'median ms':>9} {'kB':>6}")
        for size in sizes:
            url = story_with_comments(section, size).get_absolute_url()
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            query_count = len(queries.captured_queries)  # read now: the log is not kept across requests
            timings = []
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            print(f"{size:>8} {query_count:>7} {statistics.median(timings):>9.1f} {len(response.content) / 1024:>6.0f}")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [0, 10, 200, 1000])
