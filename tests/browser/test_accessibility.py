"""Accessibility: axe-core finds no WCAG 2.2 A/AA violations; the keyboard alone gets around; phones fit."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def discussion(newsroom):
    """Approved comments under the lead story, one a reply: the thread as readers see it."""
    first = Comment.objects.create(
        article=newsroom.lead,
        author_name="Ada Reader",
        email="ada@example.org",
        body="A fair point.",
        status="approved",
    )
    Comment.objects.create(
        article=newsroom.lead,
        parent=first,
        author_name="Ben",
        email="ben@example.org",
        body="Agreed.",
        status="approved",
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "address",
    [
        pytest.param(lambda news: "/", id="home"),
        pytest.param(lambda news: news.scitech.get_absolute_url(), id="section"),
        pytest.param(lambda news: news.lead.get_absolute_url(), id="story"),
        pytest.param(lambda news: news.reporter.get_absolute_url(), id="author"),
        pytest.param(lambda news: "/search/?q=space", id="search"),
        pytest.param(lambda news: "/comments-faq/", id="comments-faq"),
        pytest.param(lambda news: "/archive/", id="archive-index"),
        pytest.param(lambda news: "/no-such-section/", id="404"),
    ],
)
def test_page_has_no_wcag_violations(new_page, newsroom, discussion, check_a11y, address, viewport):
    page = new_page(viewport=viewport)
    page.goto(address(newsroom))
    if "/search/" in page.url:
        expect(page.get_by_role("region", name="Results").get_by_role("listitem")).not_to_have_count(0)
    if page.url.endswith(newsroom.lead.get_absolute_url()):
        expect(page.locator("#comment-form")).to_be_visible()
        expect(page.get_by_text("Replying to Ada Reader")).to_be_visible()
    check_a11y(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_report_dialog_and_report_page_have_no_wcag_violations(new_page, newsroom, discussion, check_a11y, viewport):
    page = new_page(viewport=viewport)
    page.goto(newsroom.lead.get_absolute_url())
    page.get_by_role("link", name="Report the comment by Ada Reader").click()
    expect(page.get_by_role("dialog", name="Report a comment")).to_be_visible()
    check_a11y(page)
    without_javascript = new_page(viewport=viewport, java_script_enabled=False)
    without_javascript.goto(newsroom.lead.get_absolute_url())
    without_javascript.get_by_role("link", name="Report the comment by Ada Reader").click()
    expect(without_javascript.get_by_role("button", name="Send report")).to_be_visible()
    # axe runs as a script, which a page without JavaScript never finishes: the same report page, checked
    # where scripts run.
    page.goto(without_javascript.url)
    expect(page.get_by_role("button", name="Send report")).to_be_visible()
    check_a11y(page)


def test_keyboard_reaches_the_content_through_a_visible_skip_link(page, newsroom):
    page.goto(newsroom.lead.get_absolute_url())
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("link => getComputedStyle(link).outlineStyle + ' ' + getComputedStyle(link).outlineWidth")
    assert outline != "none 0px" and not outline.startswith("none"), outline

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "the next Tab after the skip link should land inside the main content"


@pytest.mark.parametrize("address", ["/", "story"])
def test_every_control_shows_where_the_keyboard_focus_is(page, newsroom, discussion, address):
    page.goto(newsroom.lead.get_absolute_url() if address == "story" else address)
    seen = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
                const again = el.dataset.focusSeen === "1";
                el.dataset.focusSeen = "1";
                return {tag: el.tagName, text: (el.textContent || el.name || "").trim().slice(0, 40), again,
                        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                        shown: box.width > 0 && box.height > 0};
            }"""
        )
        if focused["tag"] == "BODY" or focused["again"]:
            break
        seen.append(focused)
        assert focused["ring"] and focused["shown"], f"no visible focus on {focused}"
    assert len(seen) > 10, seen


def test_story_screenshots_and_no_sideways_scrolling_on_a_phone(new_page, newsroom, discussion, screenshot_dir):
    for name, viewport, mobile in [("phone", PHONE, True), ("desktop", DESKTOP, False)]:
        page = new_page(viewport=viewport, is_mobile=mobile, has_touch=mobile, device_scale_factor=2 if mobile else 1)
        page.goto(newsroom.lead.get_absolute_url())
        expect(page.get_by_role("img", name="A rocket lifting off")).to_be_visible()
        page.screenshot(path=screenshot_dir / f"story-{name}.png", full_page=True)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if mobile:
            assert widths[0] <= widths[1], f"the story page is {widths[0]}px wide on a {widths[1]}px phone"
    assert (screenshot_dir / "story-phone.png").stat().st_size > 0
