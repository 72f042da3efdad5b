"""Comments posted at the same moment are all kept, and identical ones only once."""

import threading

import pytest
from django.db import connection
from django.test import Client

from comments.models import Comment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one file lock, so it cannot show real concurrent posts; "
        "run with DATABASE_URL=postgres://... to exercise this.",
    ),
    # Committed transactions across threads; serialized_rollback restores the
    # groups and permissions that migrations created, for the tests after these.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POSTERS = 12


def post_all_at_once(article, make_data):
    """Post from POSTERS threads released together; return their status codes."""
    barrier = threading.Barrier(POSTERS)
    codes = [None] * POSTERS

    def post(n):
        try:
            client = Client()
            barrier.wait()
            codes[n] = client.post(
                f"/comments/post/{article.pk}/", make_data(n), REMOTE_ADDR=f"198.51.100.{n + 1}"
            ).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(POSTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def test_concurrent_posts_are_all_stored(make_article):
    story = make_article()
    codes = post_all_at_once(
        story, lambda n: {"author_name": f"Reader {n}", "email": f"r{n}@example.org", "body": f"Comment {n} here."}
    )
    assert codes == [302] * POSTERS
    assert Comment.objects.filter(article=story).count() == POSTERS
    assert set(Comment.objects.values_list("body", flat=True)) == {f"Comment {n} here." for n in range(POSTERS)}


def test_concurrent_identical_posts_are_stored_once_without_errors(make_article, settings):
    settings.COMMENTS_RATE_LIMIT = POSTERS * 2
    story = make_article()
    codes = post_all_at_once(
        story, lambda n: {"author_name": "Same", "email": "same@example.org", "body": "Pressed post many times."}
    )
    assert codes == [302] * POSTERS
    assert Comment.objects.filter(article=story).count() == 1
