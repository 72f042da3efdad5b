"""Least privilege, by URL and by POST: every kind of user against every page and action of the admin.

The pages are enumerated from the admin site's registry, so a model or a
custom view added later is tested (or fails here until the table says who may
use it). The table RIGHTS is the newsroom's rule, written out by hand: it is
not read from the groups, so a permission granted by mistake shows up here.
"""

import datetime
import html
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from archive.models import Redirect
from articles.models import Article, BreakingNews, FrontPage, LiveUpdate
from comments.models import Ban, BannedWord, Comment, Commenter, CommentSettings, StoryModeration
from jobs.models import PeriodicRun, Worker
from staff import audit

CRUD = {"view", "add", "change", "delete"}
RIGHTS = {
    "anonymous": {},
    "staff": {},  # on the staff, in no group: sees an empty admin
    "Reporter": {
        "articles.article": {"view", "add", "change"},
        "articles.section": {"view"},
        "articles.tag": {"view", "add"},
        "articles.author": {"view"},
        "articles.liveupdate": {"view", "add", "change"},
        "photos.photo": {"view", "add", "change"},
    },
    "Editor": {
        "articles.article": CRUD | {"publish"},
        "articles.section": {"view", "add", "change"},
        "articles.tag": CRUD,
        "articles.author": {"view", "add", "change"},
        "articles.frontpage": CRUD,
        "articles.breakingnews": CRUD,
        "articles.liveupdate": CRUD,
        "photos.photo": CRUD | {"change live"},
        "comments.comment": {"view"},
        "comments.decision": {"view"},
        "archive.redirect": CRUD,
        "staff.auditentry": {"view"},
        "django_tasks_database.dbtaskresult": {"view"},
        "jobs.worker": {"view"},
        "jobs.periodicrun": {"view"},
    },
    "Moderator": {
        "comments.comment": {"view", "change"},
        "comments.commentsettings": {"view", "add", "change"},
        "comments.commenter": CRUD,
        "comments.storymoderation": CRUD,
        "comments.bannedword": CRUD,
        "comments.ban": CRUD,
        "comments.decision": {"view"},
    },
}
# What the admin refuses everyone: logs are written by what they record, comments come from readers,
# the comment settings are one row that stays.
NOBODY = {
    "comments.comment": {"add"},
    "comments.decision": {"add", "change", "delete"},
    "staff.auditentry": {"add", "change", "delete"},
    "comments.commentsettings": {"add", "delete"},
    "articles.frontpage": {"add", "delete"},  # the home page and every section have one, made for them
}
# Stories that are out and photos that readers see: changing them takes more than the model's permission.
OUT_OF_REACH = {
    ("articles.article", "published"): {"change": {"publish"}, "delete": {"publish"}},
    ("photos.photo", "live"): {"change": {"change live"}},
}
# The admins' own views beyond the standard five: what each needs, and how it is called.
CUSTOM_VIEWS = {
    "comments_comment_desk": ("comments.comment", {"change"}, "get"),
    "comments_comment_decide": ("comments.comment", {"change"}, "post"),
    "comments_decision_export": ("comments.decision", {"view"}, "get"),
    "staff_auditentry_export": ("staff.auditentry", {"view"}, "get"),
    "archive_redirect_export": ("archive.redirect", {"view"}, "get"),
    "archive_redirect_import": ("archive.redirect", {"add", "change"}, "post"),
    "auth_user_password_change": ("auth.user", {"change"}, "get"),
    "otp_totp_totpdevice_config": ("otp_totp.totpdevice", {"nobody"}, "get"),  # secrets stay hidden
    "otp_totp_totpdevice_qrcode": ("otp_totp.totpdevice", {"nobody"}, "get"),
    "articles_article_revision": ("articles.article", {"view"}, "get"),
    "articles_article_restore": ("articles.article", {"change"}, "post"),
    "articles_article_send_back": ("articles.article", {"publish"}, "post"),
}
# The list actions, with what each needs; Django's "delete selected" is offered site-wide.
ACTIONS = {
    "articles.article": {
        "publish_now": {"publish"},
        "schedule": {"publish"},
        "withdraw": {"publish"},
        "send_back": {"publish"},
        "end_live_coverage": {"publish"},
    },
    "articles.breakingnews": {"clear_now": {"change"}},
    "comments.comment": {"approve": {"change"}, "reject": {"change"}, "mark_spam": {"change"}},
    "archive.redirect": {"export_csv": {"view"}},
    "axes.accessattempt": {"cleanup_expired_attempts": {"delete"}},
}
ACTIONS["comments.comment"]["close_comments"] = {"change"}
STANDARD = {"changelist", "add", "change", "delete", "history"}


def registry():
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def rights(user_kind, label):
    return RIGHTS[user_kind].get(label, set())


def may(user_kind, label, verb, variant=None):
    if verb in NOBODY.get(label, ()):
        return False
    extra = OUT_OF_REACH.get((label, variant), {}).get(verb, set())
    granted = rights(user_kind, label)
    if verb == "view":
        return bool({"view", "change"} & granted)
    return ({verb} | extra) <= granted


@pytest.fixture
def newsroom(make_article, make_photo, make_tag, make_author, make_user, settings):
    """One object of every model the admin shows, with a draft and a live story, a free and a live photo."""
    live_photo, free_photo = make_photo(caption="On the front page"), make_photo(caption="In the library")
    published = make_article(status=Article.Status.PUBLISHED, lead_photo=live_photo)
    draft = make_article(status=Article.Status.DRAFT)
    comment = Comment.objects.create(article=published, author_name="Ann", email="ann@example.org", body="Hello.")
    comment.moderate(Comment.Status.REJECTED, None, "Off-topic")
    someone = make_user(username="someone")
    objects = {
        "articles.article": {"draft": draft, "published": published},
        "photos.photo": {"free": free_photo, "live": live_photo},
        "articles.section": {None: published.section},
        "articles.tag": {None: make_tag()},
        "articles.author": {None: make_author()},
        "comments.comment": {None: comment},
        "comments.decision": {None: comment.decisions.get()},
        "comments.commentsettings": {None: CommentSettings.objects.create(pk=1)},
        "comments.commenter": {None: Commenter.objects.create(email="bob@example.org")},
        "comments.storymoderation": {None: StoryModeration.objects.create(article=published)},
        "comments.bannedword": {None: BannedWord.objects.create(word="scam")},
        "comments.ban": {None: Ban.objects.create(email="troll@example.org")},
        "archive.redirect": {None: Redirect.objects.create(old_path="/?p=1", article=published)},
        "articles.frontpage": {None: FrontPage.objects.create(section=None)},
        "articles.breakingnews": {
            None: BreakingNews.objects.create(text="Breaking", expires_at=timezone.now() + datetime.timedelta(hours=1))
        },
        "articles.liveupdate": {None: LiveUpdate.objects.create(article=published, body="<p>An update.</p>")},
        "auth.user": {None: someone},
        "auth.group": {None: Group.objects.get(name="Moderator")},
        "staff.auditentry": {None: audit.record(someone, audit.Action.LOGIN)},
        "otp_totp.totpdevice": {None: TOTPDevice.objects.create(user=someone, name="phone")},
        "otp_static.staticdevice": {None: StaticDevice.objects.create(user=someone, name="codes")},
        # django-axes' records of log-in failures: superusers only (unlocking is deleting an attempt).
        "axes.accessattempt": {None: AccessAttempt.objects.create(username="someone", failures_since_start=1)},
        "axes.accesslog": {None: AccessLog.objects.create(username="someone")},
        "axes.accessfailurelog": {None: AccessFailureLog.objects.create(username="someone")},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the queue the admin shows
    objects["jobs.worker"] = {None: Worker.objects.create(worker_id="worker-1", hostname="app-1", pid=100)}
    objects["jobs.periodicrun"] = {None: PeriodicRun.objects.create(name="articles.tasks.flush_most_read")}
    objects["django_tasks_database.dbtaskresult"] = {
        None: DBTaskResult.objects.create(
            enqueued_at=timezone.now(),
            args_kwargs={"args": [], "kwargs": {}},
            task_path="articles.tasks.flush_most_read",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )
    }
    assert set(objects) == set(registry()), "every model in the admin needs an object here"
    return objects


def signed_in(client, user_kind, make_user):
    if user_kind != "anonymous":
        group = user_kind if user_kind in ("Reporter", "Editor", "Moderator") else None
        client.force_login(make_user(group, username=f"the-{user_kind.lower()}"))
    return client


def outcome(response):
    """ "login", "denied" or "allowed": what the user got, whatever the page then said."""
    if response.status_code in (301, 302) and response["Location"].startswith(reverse("admin:login")):
        return "login"
    if response.status_code == 403:
        return "denied"
    assert response.status_code in (200, 302), f"{response.status_code} is neither an answer nor a refusal"
    return "allowed"


def expected(user_kind, allowed):
    if user_kind == "anonymous":
        return "login"
    return "allowed" if allowed else "denied"


def offered_actions(client, label):
    page = client.get(reverse(f"admin:{label.replace('.', '_')}_changelist"))
    if page.status_code != 200:
        return set()
    select = re.search(r'<select name="action".*?</select>', page.content.decode(), re.S)
    return (
        {html.unescape(value) for value in re.findall(r'<option value="(\w+)"', select.group(0))} if select else set()
    )


def fingerprint():
    """What a refused action must leave as it was."""
    return (
        sorted(Article.objects.values_list("pk", "status", "live_ended_at")),
        sorted(Comment.objects.values_list("pk", "status")),
        sorted(BreakingNews.objects.values_list("pk", "expires_at")),
        {label: model_admin.model.objects.count() for label, model_admin in registry().items()},
    )


def requests_for(label, variant, obj):
    """(description, method, url, data, verb) for the standard pages of one model and one of its objects."""
    prefix = f"admin:{label.replace('.', '_')}"
    yield "list", "get", reverse(f"{prefix}_changelist"), None, "view"
    yield "add page", "get", reverse(f"{prefix}_add"), None, "add"
    yield "add", "post", reverse(f"{prefix}_add"), {}, "add"
    yield "change page", "get", reverse(f"{prefix}_change", args=[obj.pk]), None, "view"
    yield "change", "post", reverse(f"{prefix}_change", args=[obj.pk]), {}, "change"
    yield "delete page", "get", reverse(f"{prefix}_delete", args=[obj.pk]), None, "delete"
    yield "delete", "post", reverse(f"{prefix}_delete", args=[obj.pk]), {"post": "yes"}, "delete"
    yield "history", "get", reverse(f"{prefix}_history", args=[obj.pk]), None, "view"


def test_the_table_names_every_custom_view_and_action():
    custom, actions = set(), {}
    for label, model_admin in registry().items():
        prefix = label.replace(".", "_")
        names = {pattern.name for pattern in model_admin.get_urls() if pattern.name}
        custom |= {name for name in names if name.removeprefix(f"{prefix}_") not in STANDARD}
        declared = {name if isinstance(name, str) else name.__name__ for name in model_admin.actions or ()}
        if declared - {"delete_selected"}:
            actions[label] = declared - {"delete_selected"}
    assert custom == set(CUSTOM_VIEWS)
    assert actions == {label: set(table) for label, table in ACTIONS.items()}


@pytest.mark.parametrize("user_kind", list(RIGHTS))
def test_every_admin_page_and_action(client, newsroom, make_user, user_kind):
    signed_in(client, user_kind, make_user)
    wrong = []

    def check(what, got, want):
        if got != want:
            wrong.append(f"{what}: {got}, expected {want}")

    for label, variants in newsroom.items():
        for variant, obj in variants.items():
            for description, method, url, data, verb in requests_for(label, variant, obj):
                with transaction.atomic():
                    response = getattr(client, method)(url, data) if data is not None else client.get(url)
                    transaction.set_rollback(True)
                check(
                    f"{label} {variant or ''} {description} ({method.upper()} {url})",
                    outcome(response),
                    expected(user_kind, may(user_kind, label, verb, variant)),
                )

    for name, (label, needs, method) in CUSTOM_VIEWS.items():
        obj = next(iter(newsroom[label].values()))
        pattern = next(p for p in registry()[label].get_urls() if p.name == name)
        args = [obj.pk] if pattern.pattern.converters else []
        if len(pattern.pattern.converters) == 2:  # a story's revision
            args.append(Version.objects.get_for_object(obj).first().pk)
        url = reverse(f"admin:{name}", args=args)
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        granted = all(may(user_kind, label, need) for need in needs)
        check(f"{name} ({method.upper()} {url})", outcome(response), expected(user_kind, granted))

    for label, variants in newsroom.items():
        table = {**ACTIONS.get(label, {}), "delete_selected": {"delete"}}
        want = {name for name, needs in table.items() if all(may(user_kind, label, need) for need in needs)}
        check(f"{label} actions offered", offered_actions(client, label), want)
        for name in set(table) - want:
            before = fingerprint()
            selected = [obj.pk for obj in variants.values()]
            changelist = reverse(f"admin:{label.replace('.', '_')}_changelist")
            response = client.post(changelist, {"action": name, "_selected_action": selected, "post": "yes"})
            check(f"{label} action {name} (POST)", fingerprint() == before, True)
            assert response.status_code in (200, 302, 403), response.status_code  # the list again, or refused

    assert not wrong, "\n".join(wrong)


def test_a_reporter_cannot_change_a_photo_on_a_live_page_but_can_change_one_in_the_library(client, newsroom, reporter):
    """The finding: a Reporter could change the caption, credit and alt text a live story shows."""
    client.force_login(reporter)
    live, free = newsroom["photos.photo"]["live"], newsroom["photos.photo"]["free"]
    form = {"alt_text": "A crowd", "caption": "Changed", "credit": "PHOTO: ME", "focal_x": "0.5", "focal_y": "0.5"}
    page = client.get(reverse("admin:photos_photo_change", args=[live.pk])).content.decode()
    assert 'name="caption"' not in page  # read-only
    assert client.post(reverse("admin:photos_photo_change", args=[live.pk]), form).status_code == 403
    live.refresh_from_db()
    assert live.caption == "On the front page"
    assert client.post(reverse("admin:photos_photo_change", args=[free.pk]), form).status_code == 302
    free.refresh_from_db()
    assert free.caption == "Changed"


def test_a_photo_becomes_the_editors_when_its_story_goes_live(client, newsroom, reporter, editor):
    free = newsroom["photos.photo"]["free"]
    story = newsroom["articles.article"]["draft"]
    story.lead_photo = free
    story.save()
    assert not free.shown_live()
    story.publish()
    assert free.shown_live()
    client.force_login(reporter)
    form = {"alt_text": "A crowd", "caption": "Changed", "credit": "", "focal_x": "0.5", "focal_y": "0.5"}
    assert client.post(reverse("admin:photos_photo_change", args=[free.pk]), form).status_code == 403
    client.force_login(editor)
    assert client.post(reverse("admin:photos_photo_change", args=[free.pk]), form).status_code == 302


def test_the_save_guard_holds_when_the_story_went_live_while_the_form_was_open(rf, newsroom, reporter):
    from photos.admin import PhotoAdmin
    from photos.models import Photo

    photo = newsroom["photos.photo"]["live"]
    request = rf.post("/")
    request.user = reporter
    with pytest.raises(PermissionDenied):
        PhotoAdmin(Photo, admin.site).save_model(request, photo, form=None, change=True)
