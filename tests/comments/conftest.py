import datetime
import itertools

import pytest
from django.utils import timezone

from comments.models import Comment

_seq = itertools.count(1)


@pytest.fixture
def story(make_article):
    return make_article(headline="Council approves new budget")


@pytest.fixture
def make_comment(db):
    """A stored comment; approved unless told otherwise, a minute after the one before."""
    start = timezone.now() - datetime.timedelta(days=1)

    def make(article, body=None, status=Comment.Status.APPROVED, **kwargs):
        n = next(_seq)
        kwargs.setdefault("author_name", f"Reader {n}")
        kwargs.setdefault("email", f"reader{n}@example.org")
        kwargs.setdefault("created", start + datetime.timedelta(minutes=n))
        return Comment.objects.create(article=article, body=body or f"Comment number {n}.", status=status, **kwargs)

    return make


@pytest.fixture
def comment_data():
    def data(**overrides):
        n = next(_seq)
        values = {
            "author_name": "Ada Reader",
            "email": f"ada{n}@example.org",
            "body": f"A thoughtful remark, number {n}.",
            "parent": "",
            "website": "",
        }
        values.update(overrides)
        return values

    return data


@pytest.fixture
def post_comment(client, comment_data):
    """Post a comment as a reader from a given address; returns the response."""

    def post(article, ip="203.0.113.7", client=client, follow=False, **overrides):
        return client.post(
            f"/comments/post/{article.pk}/",
            comment_data(**overrides),
            REMOTE_ADDR=ip,
            HTTP_USER_AGENT="TestBrowser/1.0",
            follow=follow,
        )

    return post
