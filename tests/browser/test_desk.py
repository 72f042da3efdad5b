"""The moderation desk in a real browser: keys, one decision per comment, JavaScript on and off, phone, desktop."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, Decision, body_digest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pending_comments(article, n):
    start = timezone.now() - datetime.timedelta(hours=1)
    return Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {i}",
            email=f"reader{i}@example.org",
            body=f"Pending remark number {i}.",
            body_digest=body_digest(f"Pending remark number {i}."),
            status=Comment.Status.PENDING,
            created=start + datetime.timedelta(seconds=i),
        )
        for i in range(n)
    )


@pytest.fixture
def desk_page(new_page):
    def open_desk(user, javascript=True, viewport=DESKTOP):
        page = new_page(java_script_enabled=javascript, viewport=viewport)
        page.goto("/admin/login/?next=/admin/comments/comment/desk/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Moderation desk")
        return page

    return open_desk


def test_a_moderator_clears_100_comments_with_100_key_presses(desk_page, moderator, newsroom):
    pending_comments(newsroom.lead, 100)
    page = desk_page(moderator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation desk: 100 comments need attention")
    presses = 0
    for _ in range(100):
        focused = page.locator(".desk-card:focus")
        expect(focused).to_have_count(1)
        card_id = focused.get_attribute("id")
        page.keyboard.press("a")
        presses += 1
        expect(page.locator(f"#{card_id}")).to_have_count(0)
    expect(page.get_by_text("Nothing awaits a decision.")).to_be_visible()
    assert presses == 100
    assert Comment.objects.filter(status="approved").count() == 100
    assert Decision.objects.filter(action="approved", moderator=moderator).count() == 100


def test_keys_move_reject_and_mark_spam_and_a_stale_card_says_so(desk_page, moderator, newsroom, check_a11y):
    first, second, third = pending_comments(newsroom.lead, 3)
    page = desk_page(moderator)
    check_a11y(page)
    expect(page.locator(f"#card-{first.pk}")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(f"#card-{second.pk}")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(f"#card-{first.pk}")).to_be_focused()
    page.locator(f"#card-{first.pk}").get_by_label("Reason").select_option("Off-topic")
    page.locator(f"#card-{first.pk}").focus()
    page.keyboard.press("r")
    expect(page.locator("#desk-status")).to_have_text(f"Rejected: the comment by {first.author_name}.")
    expect(page.locator(f"#card-{second.pk}")).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator(f"#card-{third.pk}")).to_be_focused()
    # Someone else decides the last card meanwhile: this card is stale.
    Comment.objects.get(pk=third.pk).moderate("approved", None)
    page.locator(f"#card-{third.pk}").get_by_role("button", name="Spam").click()
    expect(page.locator("#desk-status")).to_contain_text("This comment was already decided (approved")
    for comment in (first, second, third):
        comment.refresh_from_db()
    assert (first.status, first.reason) == ("rejected", "Off-topic")
    assert (second.status, third.status) == ("spam", "approved")
    assert Decision.objects.filter(comment=third).count() == 1


def check_a11y_without_enhancement(page, check_a11y):
    """axe needs JavaScript in the page: check the plain desk with the desk's own script kept out."""
    page.route("**/js/desk.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page.reload()
    expect(page.locator(".desk-card:focus")).to_have_count(0)
    check_a11y(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_desk_without_javascript_on_phone_and_desktop(desk_page, moderator, newsroom, check_a11y, viewport):
    first, second, third = pending_comments(newsroom.lead, 3)
    page = desk_page(moderator, javascript=False, viewport=viewport)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    card = page.locator(f"#card-{first.pk}")
    expect(card.get_by_role("button", name="Approve")).to_be_visible()
    check_a11y_without_enhancement(desk_page(moderator, viewport=viewport), check_a11y)
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Approved: the comment by {first.author_name}.")
    card = page.locator(f"#card-{second.pk}")
    card.get_by_label("Reason").select_option("Other")
    card.get_by_label("Detail").fill("Quotes a private letter")
    card.get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text("Rejected")
    page.locator(f"#card-{third.pk}").get_by_role("button", name="Ban commenter").click()
    expect(page.get_by_text("Nothing awaits a decision.")).to_be_visible()
    second.refresh_from_db()
    assert (second.status, second.reason) == ("rejected", "Other: Quotes a private letter")
    assert Comment.objects.get(pk=third.pk).status == "spam"


def test_desk_with_javascript_on_a_phone(desk_page, moderator, newsroom, check_a11y):
    (comment,) = pending_comments(newsroom.lead, 1)
    page = desk_page(moderator, viewport=PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_a11y(page)
    page.locator(f"#card-{comment.pk}").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nothing awaits a decision.")).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).status == "approved"
