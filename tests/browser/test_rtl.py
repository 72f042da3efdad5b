"""The site in Urdu, right to left, in a real Chromium: it mirrors, nothing scrolls sideways, axe finds nothing."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fits(page):
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "name, address",
    [
        ("home", lambda site: "/"),
        ("story", lambda site: site.lead.get_absolute_url()),
        ("comment-form", lambda site: site.lead.get_absolute_url() + "#comment-form"),
        ("search", lambda site: "/search/?q=بارش"),
    ],
)
def test_urdu_pages_mirror_without_sideways_scrolling(
    new_page, urdu_paper, check_a11y, screenshot_dir, name, address, viewport
):
    page = new_page(viewport=viewport)
    page.goto(address(urdu_paper))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    if name == "comment-form":
        expect(page.get_by_role("button", name="تبصرہ بھیجیں")).to_be_visible()
        page.locator("#comment-form").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"ur-{name}-{viewport['width']}.png", full_page=True)
    scroll_width, client_width = fits(page)
    assert scroll_width <= client_width, f"{name} is {scroll_width}px wide in a {client_width}px window"
    check_a11y(page)


def test_urdu_story_reads_from_the_right(page, urdu_paper):
    page.set_viewport_size(DESKTOP)
    page.goto(urdu_paper.lead.get_absolute_url())
    headline = page.get_by_role("heading", level=1).bounding_box()
    column = page.locator(".story").bounding_box()
    # Text starts at the right edge of its column.
    assert abs((headline["x"] + headline["width"]) - (column["x"] + column["width"])) < 2
    replies = page.locator(".comment-thread--replies")
    sides = replies.evaluate(
        "el => { const s = getComputedStyle(el); return [s.borderRightWidth, s.borderLeftWidth, s.marginRight]; }"
    )
    assert sides == ["2px", "0px", "16px"], "replies are indented from the right, with their rule on that side"
    skip = page.get_by_role("link", name="مواد پر جائیں")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] + box["width"] > DESKTOP["width"] - 200, "the skip link sits at the top right"


def test_urdu_reply_form_moves_with_urdu_texts(page, urdu_paper):
    page.goto(urdu_paper.lead.get_absolute_url())
    page.get_by_role("link", name="جواب دیں علی کو").click()
    expect(page.locator("#comment-form-heading")).to_have_text("علی کو جواب دیں")
    expect(page.locator(".comment-form__replying")).to_contain_text("علی کو جواب۔")
    page.get_by_role("link", name="جواب منسوخ کریں").click()
    expect(page.locator("#comment-form-heading")).to_have_text("تبصرہ کریں")
