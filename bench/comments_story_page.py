"""Benchmark: a story page, and the moderators' queue, as comments grow.

Runs against a throw-away test database (SQLite, or PostgreSQL when
DATABASE_URL is set) and prints one line per size:

    python bench/comments_story_page.py [SIZE ...] [--queue TOTAL ...]
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

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from comments.models import Comment, body_digest  # noqa: E402

RUNS = 7


def story_with_comments(section, size, status=Comment.Status.APPROVED):
    """A story whose comments come in threads of one root and up to nine replies in a chain."""
    story = Article.objects.create(
        headline=f"Story with {size} comments",
        slug=f"story-{Article.objects.count()}",
        section=section,
        body="<p>Text.</p>",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now(),
    )
    comments = []
    for n in range(size):
        body = f"Comment {n}.\nA second line."
        comments.append(
            Comment(
                article=story,
                author_name=f"Reader {n}",
                email=f"r{n % 500}@example.org",
                body=body,
                body_digest=body_digest(body),
                status=status,
                created=timezone.now(),
            )
        )
    comments = Comment.objects.bulk_create(comments, batch_size=2000)
    threaded = [comment for n, comment in enumerate(comments) if n % 10]
    for comment in threaded:
        comment.parent_id = comment.pk - 1
    Comment.objects.bulk_update(threaded, ["parent"], batch_size=2000)
    return story


def measure(client, url):
    """(queries, median milliseconds, kB) of GET url."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    query_count = len(queries.captured_queries)  # read now: the log is not kept across requests
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return query_count, statistics.median(timings), len(response.content) / 1024


def main(sizes, queue_sizes):
    # No setup_test_environment(): its template instrumentation would dominate the timings.
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        section = Section.objects.create(name="World", slug="world")
        print(f"{'page':<16} {'comments':>8} {'queries':>7} {'median ms':>9} {'kB':>6}")
        reader = Client(HTTP_HOST="localhost")
        for size in sizes:
            print_row("story", size, *measure(reader, story_with_comments(section, size).get_absolute_url()))
        moderator = Client(HTTP_HOST="localhost")
        user = User.objects.create_user("bench-moderator", is_staff=True)
        user.groups.add(Group.objects.get(name="Moderator"))
        moderator.force_login(user)
        for size in queue_sizes:
            story_with_comments(section, size - Comment.objects.count(), Comment.Status.PENDING)
            print_row("moderation queue", size, *measure(moderator, "/admin/comments/comment/"))
    finally:
        teardown_databases(databases, verbosity=0)


def print_row(name, comments, queries, ms, kb):
    print(f"{name:<16} {comments:>8} {queries:>7} {ms:>9.1f} {kb:>6.0f}")


if __name__ == "__main__":
    # Arguments: story sizes, then "--queue" and total numbers of comments for the queue.
    args = sys.argv[1:]
    split = args.index("--queue") if "--queue" in args else len(args)
    main([int(a) for a in args[:split]] or [0, 10, 200, 1000], [int(a) for a in args[split + 1 :]] or [2000, 20000])
