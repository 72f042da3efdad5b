"""Abuse limits that hold behind proxies and against address rotation (issue 18, point 3)."""

import pytest
from django.core.cache import cache

from comments.abuse import keyed_hash
from comments.models import Comment, Flag


@pytest.fixture
def behind_a_proxy(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.TRUSTED_PROXY_HOPS = 1
    return settings


def post(client, story, comment_data, peer, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(f"/comments/post/{story.pk}/", comment_data(), REMOTE_ADDR=peer, **headers)


def test_the_proxy_hop_gives_the_readers_address(client, story, comment_data, behind_a_proxy):
    post(client, story, comment_data, "10.0.0.1", "6.6.6.6, 198.51.100.20")
    assert Comment.objects.get().ip_hash == keyed_hash("198.51.100.20")


def test_two_hops_skip_the_load_balancers_entry(client, story, comment_data, behind_a_proxy):
    behind_a_proxy.TRUSTED_PROXY_HOPS = 2
    post(client, story, comment_data, "10.0.0.1", "6.6.6.6, 198.51.100.20, 192.0.2.99")
    assert Comment.objects.get().ip_hash == keyed_hash("198.51.100.20")


def test_a_client_reaching_the_app_directly_cannot_rotate_addresses(client, story, comment_data, behind_a_proxy):
    """The attack that stored 40 of 40 posts: a forged X-Forwarded-For on every request."""
    statuses = [post(client, story, comment_data, "203.0.113.50", f"198.51.100.{n}").status_code for n in range(1, 41)]
    assert statuses.count(302) == 5 and statuses.count(429) == 35
    assert set(Comment.objects.values_list("ip_hash", flat=True)) == {keyed_hash("203.0.113.50")}


def test_rotating_addresses_through_a_proxy_hits_the_network_limit(client, story, comment_data, behind_a_proxy):
    """Real, different addresses of one /24 (or one IPv6 /48) share the wider limit."""
    behind_a_proxy.COMMENTS_NETWORK_RATE_LIMIT = 8
    statuses = [post(client, story, comment_data, "10.0.0.1", f"198.51.100.{n}").status_code for n in range(1, 21)]
    assert statuses.count(302) == 8
    cache.clear()
    statuses = [post(client, story, comment_data, "10.0.0.1", f"2001:db8:1:{n:x}::1").status_code for n in range(1, 21)]
    assert statuses.count(302) == 8, "65,536 /64s of one /48 are one network"
    assert post(client, story, comment_data, "10.0.0.1", "2001:db8:2::1").status_code == 302


def test_a_garbled_header_falls_back_to_the_peer(client, story, comment_data, behind_a_proxy):
    post(client, story, comment_data, "10.0.0.7", "not-an-address")
    assert Comment.objects.get().ip_hash == keyed_hash("10.0.0.7")


def report(client, comment, ip, reason="abuse"):
    return client.post(f"/comments/{comment.pk}/flag/", {"reason": reason}, REMOTE_ADDR=ip, follow=True)


def test_one_report_per_reader_per_comment(client, story, make_comment):
    comment = make_comment(story)
    report(client, comment, "192.0.2.5")
    again = report(client, comment, "192.0.2.5", reason="spam")
    assert "already reported" in again.content.decode()
    assert Flag.objects.count() == 1
    comment.refresh_from_db()
    assert comment.open_flags == 1


def test_reports_stop_at_the_cap_and_the_comment_is_escalated(client, admin_client, story, make_comment, settings):
    """30 reports from 30 addresses stored 30 rows: now the cap stores 10 and marks the comment."""
    settings.COMMENTS_REPORT_CAP = 10
    settings.COMMENTS_NETWORK_RATE_LIMIT = 1000
    comment = make_comment(story)
    for n in range(30):
        response = report(client, comment, f"198.51.{n}.1")
        assert "Thank you for your report" in response.content.decode()
    comment.refresh_from_db()
    assert Flag.objects.filter(comment=comment).count() == 10
    assert comment.open_flags == 10 and comment.reports_capped
    desk = admin_client.get("/admin/comments/comment/desk/").content.decode()
    assert "Report limit reached" in desk and f"card-{comment.pk}" in desk
    listed = admin_client.get("/admin/comments/comment/?flagged=capped").content.decode()
    assert "10 (limit reached)" in listed
    comment.moderate(Comment.Status.APPROVED, None)
    comment.refresh_from_db()
    assert not comment.reports_capped


def test_reports_from_one_network_are_limited(client, story, make_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 100
    settings.COMMENTS_NETWORK_RATE_LIMIT = 3
    comments = [make_comment(story) for _ in range(5)]
    statuses = [
        client.post(f"/comments/{c.pk}/flag/", {"reason": "abuse"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n, c in enumerate(comments, start=1)
    ]
    assert statuses == [302, 302, 302, 429, 429]
