"""The moderators' tools in the admin, and who may use them."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import BannedWord, Comment, Commenter, CommentSettings, Flag

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def moderation_form(**values):
    return {"flags-TOTAL_FORMS": "0", "flags-INITIAL_FORMS": "0", "reason": "", **values}


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def run_action(client, action, comments, view=QUEUE, **extra):
    """Apply an action to comments selected in a view of the queue (the one they are listed in)."""
    return client.post(view, {"action": action, "_selected_action": [c.pk for c in comments], **extra}, follow=True)


def flag(comment, n=1, reason=Flag.Reason.ABUSE):
    for i in range(n):
        Flag.objects.create(comment=comment, reason=reason, ip_hash=f"reader-{comment.pk}-{i}")


def test_group_permissions_are_least_privilege():
    def codenames(name):
        group = Group.objects.get(name=name)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}

    moderator, editor, reporter = codenames("Moderator"), codenames("Editor"), codenames("Reporter")
    assert {"comments.view_comment", "comments.change_comment", "comments.change_commentsettings"} <= moderator
    assert {"comments.add_commenter", "comments.add_bannedword", "comments.view_flag"} <= moderator
    assert "comments.delete_comment" not in moderator and "comments.add_comment" not in moderator
    assert not any(perm.startswith("articles.") for perm in moderator)
    assert {p for p in editor if p.startswith("comments.")} == {
        "comments.view_comment",
        "comments.view_flag",
        "comments.view_decision",
    }
    assert {"comments.add_ban", "comments.view_decision"} <= moderator
    assert "comments.change_decision" not in moderator
    assert not any(perm.startswith("comments.") for perm in reporter)


def test_moderator_cannot_touch_stories(client, moderator, story):
    client.force_login(moderator)
    assert client.get(reverse("admin:articles_article_change", args=[story.pk])).status_code == 403
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(QUEUE).status_code == 200


def test_reporter_cannot_see_comments(client, reporter, story, make_comment):
    make_comment(story)
    client.force_login(reporter)
    assert client.get(QUEUE).status_code == 403
    assert "Comments" not in client.get(reverse("admin:index")).content.decode()


def test_editor_sees_comments_but_cannot_moderate(client, editor, story, make_comment):
    comment = make_comment(story, status=Comment.Status.PENDING)
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()
    run_action(client, "approve", [comment])
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert client.post(change_url(comment), moderation_form(status="approved")).status_code == 403


def rows(client, **params):
    return [comment.pk for comment in client.get(QUEUE, params).context["cl"].result_list]


def test_queue_opens_on_what_needs_attention_pending_then_reported_oldest_first(client, moderator, story, make_comment):
    approved_old = make_comment(story)
    reported = make_comment(story)
    pending_old = make_comment(story, status=Comment.Status.PENDING)
    settled = make_comment(story)
    approved_new = make_comment(story)
    pending_new = make_comment(story, status=Comment.Status.PENDING)
    rejected = make_comment(story, status=Comment.Status.REJECTED)
    flag(reported, 2)
    flag(settled)
    client.force_login(moderator)
    run_action(client, "approve", [settled])
    html = client.get(QUEUE).content.decode()
    assert "<h1>3 comments need attention</h1>" in html
    assert '<li class="selected">\n    <a href="?">Needs attention</a></li>' in html
    assert '<a href="?show=all">All comments</a>' in html
    assert rows(client) == [pending_old.pk, pending_new.pk, reported.pk]
    everything = client.get(QUEUE, {"show": "all"})
    assert "<h1>All comments</h1>" in everything.content.decode()
    newest_first = [rejected, pending_new, approved_new, settled, pending_old, reported, approved_old]
    assert [c.pk for c in everything.context["cl"].result_list] == [c.pk for c in newest_first]
    assert rows(client, show="all", o="6") == [c.pk for c in reversed(newest_first)]
    Comment.objects.needs_attention().update(status=Comment.Status.APPROVED, open_flags=0)
    assert "<h1>0 comments need attention</h1>" in client.get(QUEUE).content.decode()


def test_queue_filters_narrow_the_view_they_are_used_in(client, moderator, story, make_comment):
    pending = make_comment(story, status=Comment.Status.PENDING, author_name="Zoe Writer")
    reported = make_comment(story, author_name="Zoe Writer", email=pending.email)
    approved = make_comment(story, author_name="Zoe Writer", email=pending.email, body="Nothing to see.")
    other = make_comment(story, status=Comment.Status.PENDING, body="Nothing to see either.")
    rejected = make_comment(story, status=Comment.Status.REJECTED)
    flag(reported)
    client.force_login(moderator)
    assert rows(client, status="approved") == [reported.pk]
    assert rows(client, show="all", status="approved") == [approved.pk, reported.pk]
    assert rows(client, show="all", status="rejected") == [rejected.pk]
    assert rows(client, flagged="open") == rows(client, show="all", flagged="any") == [reported.pk]
    assert rows(client, q="Zoe") == [pending.pk, reported.pk]
    assert rows(client, show="all", q="Nothing to see") == [other.pk, approved.pk]
    assert rows(client, email=pending.email) == [pending.pk, reported.pk]
    assert rows(client, show="all", email=pending.email) == [approved.pk, reported.pk, pending.pk]
    since = {"created__gte": reported.created.isoformat()}
    assert rows(client, **since) == [other.pk, reported.pk]
    assert rows(client, show="all", **since) == [rejected.pk, other.pk, approved.pk, reported.pk]


def test_queue_shows_story_parent_history_and_reports(client, moderator, story, make_comment):
    parent = make_comment(story, author_name="Alice", body="The parent comment.")
    for status in ["approved", "approved", "rejected"]:
        make_comment(story, email="bob@example.org", status=status)
    reply = make_comment(story, author_name="Bob", email="bob@example.org", parent=parent, status="pending")
    flag(reply, 2)
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    row = html[html.index(f'href="{change_url(reply)}"') :]
    row = row[: row.index("</tr>")]
    assert f'<a href="{story.get_absolute_url()}" target="_blank">Council approves new budget</a>' in row
    assert f'<a href="{change_url(parent)}">Alice</a> (approved): The parent comment.' in row
    assert f'<a href="{QUEUE}?show=all&amp;email=bob%40example.org">2 approved, 1 rejected</a>' in row
    assert '<td class="field-reports">2</td>' in row
    record = client.get(QUEUE, {"show": "all", "email": "bob@example.org"})
    assert len(record.context["cl"].result_list) == 4


@pytest.mark.parametrize("view", [{}, {"show": "all"}])
def test_queue_queries_do_not_grow_with_comments(
    client, moderator, story, make_comment, django_assert_max_num_queries, view
):
    def add(n):
        for _ in range(n):
            flag(make_comment(story, parent=make_comment(story), status="pending"))

    add(2)
    client.force_login(moderator)
    with django_assert_max_num_queries(10) as few:
        client.get(QUEUE, view)
    add(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE, view)
    assert len(response.context["cl"].result_list) == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
@pytest.mark.parametrize(
    "view, index",
    [
        ({}, "Index Scan using comment_attention"),
        ({"flagged": "open"}, "Index Scan using comment_reported"),
        ({"show": "all"}, "Index Scan Backward using comment_created"),
    ],
)
def test_queue_reads_its_rows_in_order_from_an_index(client, moderator, story, make_comment, view, index):
    """The page is the first rows of an index, whatever the size of the table, and nothing is sorted."""
    for status in ["pending", "approved", "pending"]:
        make_comment(story, status=status)
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE, view)
    (sql,) = [q["sql"] for q in queries.captured_queries if '"comments_comment"."body"' in q["sql"]]
    with connection.cursor() as cursor:
        # A table this small would be read whole and sorted: discourage both, so the plan
        # shows whether an index can give these rows in this order, as on a big table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_all_comments_of_a_big_table_are_estimated_not_counted(client, moderator, story, make_comment, monkeypatch):
    for _ in range(3):
        make_comment(story)
    client.force_login(moderator)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE comments_comment")
    monkeypatch.setattr("comments.admin.ESTIMATE_FROM", 3)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(QUEUE, {"show": "all"}).content.decode()
    assert not [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert "3 comments" in html
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE, {"show": "all", "status": "approved"})
    assert [q for q in queries.captured_queries if "COUNT(*)" in q["sql"]]


def test_reports_are_counted_on_the_comment_until_a_moderator_decides(client, moderator, story, make_comment):
    comment = make_comment(story)
    for ip in ["192.0.2.1", "192.0.2.2", "192.0.2.2"]:
        client.post(f"/comments/{comment.pk}/flag/", {"reason": "abuse"}, REMOTE_ADDR=ip)
    comment.refresh_from_db()
    assert comment.open_flags == 2
    client.force_login(moderator)
    run_action(client, "approve", [comment])
    comment.refresh_from_db()
    assert comment.open_flags == 0
    flag(comment)
    assert rows(client) == [comment.pk]
    client.post(change_url(comment), moderation_form(status="rejected", reason="Off-topic"))
    comment.refresh_from_db()
    assert (comment.status, comment.open_flags) == ("rejected", 0)
    assert rows(client) == []


def test_approve_in_bulk_records_who_and_when_and_settles_reports(client, moderator, story, make_comment):
    comments = [make_comment(story, status="pending", body=f"Waiting {n}") for n in range(3)]
    flag(comments[0])
    client.force_login(moderator)
    response = run_action(client, "approve", comments[:2])
    assert "2 comments approved." in response.content.decode()
    for comment in comments:
        comment.refresh_from_db()
    assert [c.status for c in comments] == ["approved", "approved", "pending"]
    assert comments[0].moderated_by == moderator and comments[0].moderated_at
    assert not Flag.objects.filter(resolved=False).exists()
    history = client.get(reverse("admin:comments_comment_history", args=[comments[0].pk])).content.decode()
    assert "Moderated: approved" in history and "moderator" in history
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Waiting 0" in html and "Waiting 2" not in html


def test_reject_asks_for_a_reason_then_records_it(client, moderator, story, make_comment):
    comment = make_comment(story, status="pending")
    client.force_login(moderator)
    confirm = run_action(client, "reject", [comment])
    html = confirm.content.decode()
    assert '<select name="reason"' in html and f'value="{comment.pk}"' in html
    comment.refresh_from_db()
    assert comment.status == "pending"
    missing = run_action(client, "reject", [comment], apply="1", reason="Other", detail="")
    assert "Say why, when the reason is “Other”." in missing.content.decode()
    run_action(client, "reject", [comment], apply="1", reason="Off-topic", detail="About another story")
    comment.refresh_from_db()
    assert (comment.status, comment.reason) == ("rejected", "Off-topic: About another story")
    assert comment.moderated_by == moderator


def test_an_approved_comment_can_be_taken_down(client, moderator, story, make_comment):
    comment = make_comment(story, body="Published, then regretted.")
    flag(comment)
    client.force_login(moderator)
    run_action(client, "reject", [comment], apply="1", reason="Possibly unlawful", detail="")
    comment.refresh_from_db()
    assert comment.status == "rejected" and comment.moderated_by == moderator
    assert "Published, then regretted." not in client.get(story.get_absolute_url()).content.decode()
    assert not Flag.objects.filter(resolved=False).exists()


def test_mark_spam(client, moderator, story, make_comment):
    comment = make_comment(story, status="pending")
    client.force_login(moderator)
    assert "1 comment spam." in run_action(client, "mark_spam", [comment]).content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("spam", moderator)


def test_moderating_one_comment_on_its_page(client, moderator, story, make_comment):
    comment = make_comment(story, status="pending", email="hidden@example.org")
    client.force_login(moderator)
    page = client.get(change_url(comment)).content.decode()
    assert "hidden@example.org" in page and "0 approved, 0 rejected" in page
    refused = client.post(change_url(comment), moderation_form(status="rejected"))
    assert "Give a reason when you reject or take down a comment." in refused.content.decode()
    response = client.post(change_url(comment), moderation_form(status="approved"))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == moderator and comment.moderated_at


def test_comment_text_cannot_be_edited_or_added_in_admin(client, moderator, story, make_comment):
    comment = make_comment(story, status="pending", body="Original words.")
    client.force_login(moderator)
    response = client.post(change_url(comment), moderation_form(status="approved", body="Changed words."))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Original words."
    assert client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_moderator_can_close_comments_on_a_story(client, moderator, story, make_comment):
    comment = make_comment(story)
    client.force_login(moderator)
    response = run_action(client, "close_comments", [comment], view=f"{QUEUE}?show=all")
    assert "Comments closed on 1 story." in response.content.decode()
    story.refresh_from_db()
    assert story.comments_open is False
    assert LogEntry.objects.get(object_id=str(story.pk)).user == moderator


def test_moderator_edits_site_settings_trusted_commenters_and_banned_words(client, moderator):
    client.force_login(moderator)
    add = reverse("admin:comments_commentsettings_add")
    assert client.get(reverse("admin:comments_commentsettings_changelist"))["Location"] == add
    assert client.post(add, {"close_after_days": "10"}).status_code == 302
    assert CommentSettings.load().close_after_days == 10
    assert client.get(reverse("admin:comments_commentsettings_changelist"))["Location"].endswith("/1/change/")
    assert client.get(add).status_code == 403
    client.post(reverse("admin:comments_commentsettings_change", args=[1]), {"close_after_days": ""})
    assert CommentSettings.load().close_after_days is None
    client.post(
        reverse("admin:comments_commenter_add"), {"email": "Known@Example.org", "trust": "trusted", "note": "Columnist"}
    )
    assert Commenter.objects.get().email == "known@example.org"
    client.post(reverse("admin:comments_bannedword_add"), {"word": "scam", "action": "spam"})
    assert BannedWord.objects.get().action == "spam"
