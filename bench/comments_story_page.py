"""Benchmark: a story page, and the moderators' queue, as comments grow.

Runs against a throw-away test database (SQLite, or PostgreSQL when
DATABASE_URL is set) and prints one line per size:

    python bench/comments_story_page.py [SIZE ...] [--queue TOTAL ...]

For the queue, comments are spread over stories of 100 comments each, as a
busy site has them: 5 % pending, 1 % rejected or spam, and one approved
comment in 200 with open reader reports; each author has about ten
comments. With --explain, the plan of each of the queue page's three
slowest queries is summed up (PostgreSQL). With --keepdb the database is
kept for the next run, which only tops the comments up.
"""

import datetime
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

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from comments.models import Comment, Flag, body_digest  # noqa: E402
from demo.generator import next_id, write  # noqa: E402

RUNS = 11
COMMENTS_PER_STORY = 100
STATUSES = [Comment.Status.APPROVED] * 188 + [Comment.Status.PENDING] * 10 + [Comment.Status.REJECTED, "spam"]


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


def fill_queue(total, rng):
    """Top the comments up to ``total``, on new stories, written in batches (COPY on PostgreSQL)."""
    missing = total - Comment.objects.count()
    if missing <= 0:
        return
    call_command("generate_stories", stories=-(-missing // COMMENTS_PER_STORY), verbosity=0)
    stories = list(Article.objects.filter(comments__isnull=True).values_list("pk", flat=True))
    authors = max(total // 10, 1)
    start = timezone.now() - datetime.timedelta(days=365)
    comment_id, flag_id = next_id(Comment), next_id(Flag)
    for first in range(0, missing, 20_000):
        comments, flags = [], []
        for n in range(first, min(first + 20_000, missing)):
            body = f"Comment {comment_id}.\nA second line."
            comment = Comment(
                pk=comment_id,
                article_id=stories[n // COMMENTS_PER_STORY],
                author_name=f"Reader {comment_id}",
                email=f"r{rng.randrange(authors)}@example.org",
                body=body,
                body_digest=body_digest(body),
                status=rng.choice(STATUSES),
                created=start + datetime.timedelta(seconds=rng.randrange(365 * 86400)),
            )
            if comment.status == Comment.Status.APPROVED and rng.randrange(200) == 0:
                comment.open_flags = rng.randint(1, 3)
                for reader in range(comment.open_flags):
                    flags.append(Flag(pk=flag_id, comment=comment, reason="abuse", ip_hash=f"reader-{reader}"))
                    flag_id += 1
            comments.append(comment)
            comment_id += 1
        write(Comment, comments)
        write(Flag, flags)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Comment, Flag]):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE comments_comment, comments_flag")


def explain(url, client):
    """The three slowest queries of GET url, each with its time and the top of its plan."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        print(f"    {float(query['time']) * 1000:.1f} ms: {query['sql'][:150]}")
        for line in plan[:12]:
            print(f"        {line}")


def measure(client, url):
    """(queries, median milliseconds, median CPU milliseconds of this process, median SQL milliseconds, kB)
    of GET url. On a loaded machine the wall time waits for the CPU; this process's CPU time does not."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    query_count = len(queries.captured_queries)
    timings, cpu, sql = [], [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return (
        query_count,
        statistics.median(timings),
        statistics.median(cpu),
        statistics.median(sql),
        len(response.content) / 1024,
    )


def main(sizes, queue_sizes, show_plans, keepdb):
    # No setup_test_environment(): its template instrumentation would dominate the timings.
    databases = setup_databases(verbosity=0, interactive=False, keepdb=keepdb)
    try:
        section, _ = Section.objects.get_or_create(slug="world", defaults={"name": "World"})
        print(f"{'page':<16} {'comments':>8} {'queries':>7} {'median ms':>9} {'CPU ms':>7} {'SQL ms':>7} {'kB':>6}")
        reader = Client(HTTP_HOST="localhost")
        for size in sizes:
            print_row("story", size, *measure(reader, story_with_comments(section, size).get_absolute_url()))
        moderator = Client(HTTP_HOST="localhost")
        user, _ = User.objects.get_or_create(username="bench-moderator", defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name="Moderator"))
        moderator.force_login(user)
        rng = random.Random(1)
        for size in queue_sizes:
            fill_queue(size, rng)
            for name, url in QUEUE_PAGES:
                print_row(name, size, *measure(moderator, url))
                if show_plans and connection.vendor == "postgresql":
                    explain(url, moderator)
    finally:
        teardown_databases(databases, verbosity=0, keepdb=keepdb)


QUEUE_PAGES = [
    ("desk", "/admin/comments/comment/desk/"),
    ("desk, page 10", "/admin/comments/comment/desk/?page=10"),
    ("queue", "/admin/comments/comment/"),
    ("queue, page 10", "/admin/comments/comment/?p=10"),
    ("queue, reported", "/admin/comments/comment/?flagged=open"),
    ("all comments", "/admin/comments/comment/?show=all"),
    ("all, rejected", "/admin/comments/comment/?show=all&status=rejected"),
    ("queue, search", "/admin/comments/comment/?q=Reader+12"),
    ("all, search", "/admin/comments/comment/?show=all&q=Reader+12"),
]


def print_row(name, comments, queries, ms, cpu_ms, sql_ms, kb):
    print(f"{name:<16} {comments:>8} {queries:>7} {ms:>9.1f} {cpu_ms:>7.1f} {sql_ms:>7.1f} {kb:>6.0f}")


if __name__ == "__main__":
    # Arguments: story sizes, then "--queue" and total numbers of comments for the queue.
    args = sys.argv[1:]
    show_plans, keepdb = "--explain" in args, "--keepdb" in args
    args = [a for a in args if a not in ("--explain", "--keepdb")]
    split = args.index("--queue") if "--queue" in args else len(args)
    main(
        [int(a) for a in args[:split]] or ([] if "--queue" in args else [0, 10, 200, 1000]),
        [int(a) for a in args[split + 1 :]] or [2000, 20000],
        show_plans,
        keepdb,
    )
