"""The audit log: every staff sign-in (and refusal), and every publish, schedule, withdraw and restore."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from staff import audit
from staff.models import AuditEntry
from tests.articles.test_admin import article_form, change_url, run_action

LOG = reverse("admin:staff_auditentry_changelist")
EXPORT = reverse("admin:staff_auditentry_export")
Action = AuditEntry.Action


def actions(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("action", "object_repr", "note"))


def test_a_refused_sign_in_keeps_the_name_that_was_tried(client, db):
    client.post(reverse("admin:login"), {"username": "editr", "password": "guess"})
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.username, entry.note) == (
        Action.LOGIN_FAILED,
        None,
        "editr",
        "wrong username or password",
    )


def test_sign_in_and_out_are_recorded(client, editor):
    client.post(reverse("admin:login"), {"username": "editor", "password": "correct horse battery"})
    client.post(reverse("admin:logout"))
    assert [action for action, _, _ in actions(user=editor)] == [Action.LOGIN, Action.LOGOUT]


def test_readers_signing_in_elsewhere_are_not_staff_logins(client, make_user):
    reader = make_user(is_staff=False)
    client.force_login(reader)
    assert not AuditEntry.objects.exists()


def test_publish_schedule_and_withdraw_from_the_list(client, editor, make_article):
    client.force_login(editor)
    story = make_article(headline="Budget passes", status=Article.Status.DRAFT)
    later = make_article(
        headline="Eclipse tonight", status=Article.Status.DRAFT, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    run_action(client, "publish_now", [story])
    run_action(client, "schedule", [later])
    run_action(client, "withdraw", [story])
    assert actions(user=editor, content_type__model="article") == [
        (Action.PUBLISH, "Budget passes", "from the story list"),
        (Action.SCHEDULE, "Eclipse tonight", "from the story list"),
        (Action.WITHDRAW, "Budget passes", "from the story list"),
    ]
    assert AuditEntry.objects.for_object(story).count() == 2


def test_publishing_on_the_story_page_is_recorded_once(client, editor, section, make_author):
    client.force_login(editor)
    data = article_form(section, make_author(), status=Article.Status.PUBLISHED, headline="Floods in the north")
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    story = Article.objects.get(headline="Floods in the north")
    # Saving it again, still published, is an edit, not a second publication.
    client.post(change_url(story), article_form(section, make_author(), status=Article.Status.PUBLISHED))
    assert actions(action=Action.PUBLISH) == [(Action.PUBLISH, "Floods in the north", "on the story's page")]


def test_drafts_are_not_audited(client, reporter, section, make_author):
    client.force_login(reporter)
    client.post(reverse("admin:articles_article_add"), article_form(section, make_author()))
    assert not AuditEntry.objects.exclude(action=Action.LOGIN).exists()


def test_the_api_for_other_apps_records_a_restore(editor, make_article):
    story = make_article(headline="Old headline")
    entry = audit.record(editor, audit.Action.RESTORE, story, note="revision of 1 March")
    assert (entry.username, entry.object_repr, entry.get_action_display()) == (
        "editor",
        "Old headline",
        "Restored a revision",
    )
    assert str(entry) == "editor: Restored a revision Old headline"


@pytest.fixture
def log(editor, reporter, make_article):
    story = make_article(headline="Strike ends")
    audit.record(editor, Action.PUBLISH, story)
    audit.record(reporter, Action.LOGIN)
    audit.record(None, Action.LOGIN_FAILED, username="mallory", note="wrong username or password")
    old = audit.record(editor, Action.WITHDRAW, story)
    AuditEntry.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=40))
    return story


def test_editors_read_the_log_filtered_by_user_action_and_date(client, editor, log):
    client.force_login(editor)
    html = client.get(LOG).content.decode()
    assert "mallory" in html and "Strike ends" in html and "Export as CSV" in html
    by_action = client.get(LOG, {"action": Action.PUBLISH}).context["cl"].result_list
    assert [entry.action for entry in by_action] == [Action.PUBLISH]
    by_user = client.get(LOG, {"user__id__exact": editor.pk}).context["cl"].result_list
    assert {entry.action for entry in by_user} == {Action.LOGIN, Action.PUBLISH, Action.WITHDRAW}
    since = (timezone.now() - datetime.timedelta(days=7)).isoformat()
    recent = client.get(LOG, {"created__gte": since}).context["cl"].result_list
    assert Action.WITHDRAW not in {entry.action for entry in recent}


def test_nobody_edits_the_log(client, editor, make_user, log):
    superuser = make_user(is_superuser=True)
    entry = AuditEntry.objects.first()
    for user in (editor, superuser):
        client.force_login(user)
        assert client.get(reverse("admin:staff_auditentry_add")).status_code == 403
        delete = reverse("admin:staff_auditentry_delete", args=[entry.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.post(reverse("admin:staff_auditentry_change", args=[entry.pk]), {"note": "x"}).status_code == 403
    assert AuditEntry.objects.exclude(action=Action.LOGIN).count() == 3


def test_reporters_and_moderators_do_not_read_it(client, reporter, moderator, log):
    for user in (reporter, moderator):
        client.force_login(user)
        assert client.get(LOG).status_code == 403
        assert client.get(EXPORT).status_code == 403


def test_csv_export_follows_the_filters(client, editor, log):
    client.force_login(editor)
    response = client.get(EXPORT, {"user__id__exact": editor.pk, "action__in": "publish,withdraw"})
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["when", "user", "action", "object type", "object id", "object", "note", "ip address"]
    assert [(row[1], row[2], row[3], row[5]) for row in rows[1:]] == [
        ("editor", "Published", "article", "Strike ends"),
        ("editor", "Withdrew", "article", "Strike ends"),
    ]


def test_the_log_page_costs_the_same_with_more_entries(client, editor, log, django_assert_max_num_queries):
    client.force_login(editor)
    client.get(LOG)
    with django_assert_max_num_queries(12) as few:
        client.get(LOG)
    for n in range(30):
        audit.record(editor, Action.LOGIN, note=f"visit {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LOG)
