"""Every kind of page the site serves passes the Nu Html Checker with no errors.

The pages are rendered by the test client and checked in one run of the
checker (a JVM start takes seconds).
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import AlsoRead, Correction, FrontPage, LiveUpdate
from articles.revisions import versions_of
from comments.models import Comment, Commenter
from comments.notifications import unsubscribe_token
from tests import vnu


@pytest.fixture(scope="module")
def checker():
    try:
        vnu.vnu_jar()
    except vnu.Unavailable as error:
        pytest.fail(str(error))


@pytest.fixture
def site(make_article, make_section, make_author, make_photo, make_tag):
    """A small site with one of each thing the pages show."""
    world = make_section("World")
    reporter = make_author("Ada Reporter", bio="Covers space.\nBased in Paris.", photo=make_photo())
    tag = make_tag("Space")
    plain = make_article("Europe plans its own rocket", section=world, tags=[tag])
    story = make_article(
        "Russia ceases work on joint space projects",
        section=world,
        authors=[reporter],
        tags=[tag],
        lead_photo=make_photo(),
        featured=True,
    )
    AlsoRead.objects.create(article=story, target=plain, after_paragraph=1)
    Correction.objects.create(article=story, text="An earlier version misspelt a name.")
    approved = Comment.Status.APPROVED
    first = Comment.objects.create(
        article=story, author_name="Reader", email="r@example.org", body="First.", status=approved
    )
    Comment.objects.create(
        article=story, parent=first, author_name="Other", email="o@example.org", body="A reply.", status=approved
    )
    withdrawn = make_article("A story taken down", section=world, withdrawal_note="It was wrong.")
    withdrawn.withdraw()
    return {"story": story, "plain": plain, "reporter": reporter, "tag": tag, "withdrawn": withdrawn}


def comment(**overrides):
    return {"author_name": "Ada Reader", "email": "ada@example.org", "body": "A thoughtful remark."} | overrides


def fetched(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content


def test_every_kind_of_page_is_valid_html(client, site, make_article, checker):
    story, day = site["story"], site["story"].publish_at
    live = make_article("Storm reaches the coast", live_coverage=True)
    LiveUpdate.objects.create(article=live, headline="Roads closed", body="<p>Police closed the coast road.</p>")
    token = unsubscribe_token("r@example.org")
    documents = {
        "home": fetched(client, "/"),
        "section": fetched(client, "/world/"),
        "tag": fetched(client, site["tag"].get_absolute_url()),
        "author": fetched(client, site["reporter"].get_absolute_url()),
        "year": fetched(client, f"/archive/{day:%Y}/"),
        "month": fetched(client, f"/archive/{day:%Y/%m}/"),
        "day": fetched(client, f"/archive/{day:%Y/%m/%d}/"),
        "archive index": fetched(client, "/archive/"),
        "story with photo, comments, also read": fetched(client, story.get_absolute_url()),
        "story without photo": fetched(client, site["plain"].get_absolute_url()),
        "search": fetched(client, "/search/?q=rocket"),
        "search, nothing found": fetched(client, "/search/?q=zebra"),
        "search, bad filters": fetched(client, "/search/?q=rocket&since=yesterday&section=nowhere"),
        "comments faq": fetched(client, "/comments-faq/"),
        "404": fetched(client, "/no/such/page/", status=404),
        "withdrawn": fetched(client, site["withdrawn"].get_absolute_url(), status=410),
        "live story with updates": fetched(client, live.get_absolute_url()),
        "corrections": fetched(client, reverse("articles:corrections")),
        "unsubscribe": fetched(client, reverse("comments:unsubscribe", args=[token])),
        "unsubscribe, bad link": fetched(client, reverse("comments:unsubscribe", args=["forged"]), status=400),
    }
    unsubscribed = client.post(reverse("comments:unsubscribe", args=[token]))
    assert unsubscribed.status_code == 200
    documents["unsubscribed"] = unsubscribed.content
    invalid = client.post(f"/comments/post/{story.pk}/", comment(email="not an address"))
    assert invalid.status_code == 400
    documents["comment invalid"] = invalid.content
    confirm = Client(enforce_csrf_checks=True).post(f"/comments/post/{story.pk}/", comment())
    assert confirm.status_code == 403
    documents["comment confirm"] = confirm.content
    posted = client.post(f"/comments/post/{story.pk}/", comment(), HTTP_SEC_FETCH_SITE="same-origin", follow=True)
    assert b"moderat" in posted.content
    documents["comment posted"] = posted.content

    reported = story.comments.first()
    report = Client(enforce_csrf_checks=True).post(f"/comments/{reported.pk}/flag/", {"reason": "abuse"})
    assert report.status_code == 403
    documents["report confirm"] = report.content
    documents["report page"] = fetched(client, f"/comments/{reported.pk}/flag/")
    # A page known to be wrong, checked in the same run: proof that the checker reports what it finds.
    documents["known bad"] = "<!doctype html><html lang=en><title>x</title><h1>a</h1><h3>b</h3>"

    errors = vnu.check(documents)
    assert "skipping 1 heading level" in " ".join(errors.pop("known bad"))
    report = "\n".join(f"{name}, {error}" for name, found in errors.items() for error in found)
    assert not report, report


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_newsrooms_own_admin_pages_are_valid_html(client, site, editor, moderator, checker):
    """The admin pages built from our templates (Django's stock ones are Django's to keep valid)."""
    story, other = site["story"], site["plain"]
    story.headline = "Russia ends work on joint space projects"
    story.body = story.body.replace("</p>", " Talks ended.</p>", 1)
    story.save()  # a second revision, so that there is a comparison to show
    newest, older = versions_of(story)[:2]
    story.comments.filter(parent=None).update(status=Comment.Status.PENDING)
    pending = story.comments.filter(status=Comment.Status.PENDING).first()
    FrontPage.objects.add_missing()
    home = FrontPage.objects.get(section=None)
    newsroom, desk = signed_in(editor), signed_in(moderator)
    documents = {
        "login": fetched(client, reverse("admin:login")),
        "editor's desk panels": fetched(newsroom, reverse("admin:index")),
        "revision history": fetched(newsroom, reverse("admin:articles_article_history", args=[story.pk])),
        "revision compared": fetched(
            newsroom, reverse("admin:articles_article_revision", args=[story.pk, older.pk]) + "?against=current"
        ),
        "revision against previous": fetched(
            newsroom, reverse("admin:articles_article_revision", args=[story.pk, newest.pk]) + "?against=previous"
        ),
        "send back": fetched(newsroom, reverse("admin:articles_article_send_back", args=[other.pk])),
        "home front page": fetched(newsroom, reverse("admin:articles_frontpage_change", args=[home.pk])),
        "audit log": fetched(newsroom, reverse("admin:staff_auditentry_changelist")),
        "redirects": fetched(newsroom, reverse("admin:archive_redirect_changelist")),
        "two-factor setup": fetched(newsroom, reverse("staff:two_factor")),
        "moderator's desk panels": fetched(desk, reverse("admin:index")),
        "moderation desk": fetched(desk, reverse("admin:comments_comment_desk")),
        "comment list": fetched(desk, reverse("admin:comments_comment_changelist")),
    }
    reject = desk.post(
        reverse("admin:comments_comment_changelist"), {"action": "reject", ACTION_CHECKBOX_NAME: [pending.pk]}
    )
    assert b"reason" in reject.content
    documents["reject with a reason"] = reject.content
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    turned_on = newsroom.post(reverse("staff:two_factor"), {"otp_token": f"{totp(device.bin_key):06d}"})
    assert b"<code>" in turned_on.content
    documents["two-factor on, backup codes"] = turned_on.content

    errors = vnu.check(documents)
    report = "\n".join(f"{name}, {error}" for name, found in errors.items() for error in found)
    assert not report, report


def test_the_forms_editors_use_daily_are_valid_html(site, editor, moderator, checker):
    """The story, photo, section, tag, author, live update and comment forms, filled as they are at work."""
    story = site["story"]
    story.live_coverage = True
    story.save()
    update = LiveUpdate.objects.create(article=story, body="<p>Crews are on site.</p>", author=site["reporter"])
    story.tags.add(site["tag"])
    newsroom, desk = signed_in(editor), signed_in(moderator)
    change = "admin:{}_change".format
    comment = story.comments.first()
    commenter = Commenter.objects.create(email=comment.email)
    documents = {
        "story add": fetched(newsroom, reverse("admin:articles_article_add")),
        "story change": fetched(newsroom, reverse(change("articles_article"), args=[story.pk])),
        "photo change": fetched(newsroom, reverse(change("photos_photo"), args=[story.lead_photo.pk])),
        "photo add": fetched(newsroom, reverse("admin:photos_photo_add")),
        "section change": fetched(newsroom, reverse(change("articles_section"), args=[story.section.pk])),
        "tag change": fetched(newsroom, reverse(change("articles_tag"), args=[site["tag"].pk])),
        "author change": fetched(newsroom, reverse(change("articles_author"), args=[site["reporter"].pk])),
        "live update add": fetched(newsroom, reverse("admin:articles_liveupdate_add") + f"?article={story.pk}"),
        "live update change": fetched(newsroom, reverse(change("articles_liveupdate"), args=[update.pk])),
        "comment change": fetched(desk, reverse(change("comments_comment"), args=[comment.pk])),
        "commenter change": fetched(desk, reverse(change("comments_commenter"), args=[commenter.pk])),
        "ban add": fetched(desk, reverse("admin:comments_ban_add")),
        "banned word add": fetched(desk, reverse("admin:comments_bannedword_add")),
        "story moderation add": fetched(desk, reverse("admin:comments_storymoderation_add")),
    }
    errors = vnu.check(documents)
    report = "\n".join(f"{name}, {error}" for name, found in errors.items() for error in found)
    assert not report, report
