"""Curating the front page and covering a story live, in the browser, through to what readers see."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.curation import BreakingNews, FrontPage, Placement
from articles.models import Article, LiveUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def top_headlines(page):
    return page.locator(".top-stories .card__headline").all_inner_texts()


@pytest.fixture
def home_front_page(newsroom):
    """The home page with the lead story first and the follow-up second."""
    front_page = FrontPage.objects.get_or_create(section=None)[0]
    Placement.objects.create(front_page=front_page, article=newsroom.lead, position=1)
    Placement.objects.create(front_page=front_page, article=newsroom.follow_up, position=2)
    return front_page


def test_editor_drags_a_story_into_the_lead_and_moves_it_with_the_keyboard(
    admin_page, new_page, editor, newsroom, home_front_page, check_a11y
):
    page = admin_page(editor)
    page.goto(f"/admin/articles/frontpage/{home_front_page.pk}/change/")
    rows = page.locator("tr.curation-row")
    expect(rows.nth(0)).to_contain_text("Russia ceases work")
    rows.nth(1).locator("td.field-status").drag_to(rows.nth(0), target_position={"x": 5, "y": 3})
    expect(rows.nth(0)).to_contain_text("Europe looks for a new launcher")
    expect(page.locator("input[name='placements-1-position']")).to_have_value("1")
    expect(page.locator("input[name='placements-0-position']")).to_have_value("2")
    check_a11y(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".curation-now li").first).to_contain_text("Europe looks for a new launcher (placed)")

    reader = new_page()
    reader.goto("/")
    assert top_headlines(reader)[:2] == [
        "Europe looks for a new launcher",
        "Russia ceases work on joint space projects with Europe",
    ]

    rows = page.locator("tr.curation-row")
    rows.nth(1).get_by_role("button", name=re.compile("^Move up")).click()
    expect(rows.nth(0)).to_contain_text("Russia ceases work")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    reader.reload()
    assert top_headlines(reader)[0] == "Russia ceases work on joint space projects with Europe"


def test_editor_orders_the_front_page_without_javascript(admin_page, new_page, editor, newsroom, home_front_page):
    logged_in = admin_page(editor).context.storage_state()
    page = new_page(java_script_enabled=False, storage_state=logged_in)
    page.goto(f"/admin/articles/frontpage/{home_front_page.pk}/change/")
    expect(page.get_by_role("button", name=re.compile("^Move up"))).to_have_count(0)
    page.locator("input[name='placements-0-position']").fill("2")
    page.locator("input[name='placements-1-position']").fill("1")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    reader = new_page(java_script_enabled=False)
    reader.goto("/")
    assert top_headlines(reader)[0] == "Europe looks for a new launcher"


def test_a_live_update_arrives_on_an_open_reader_page(admin_page, new_page, editor, newsroom, settings, check_a11y):
    settings.LIVE_POLL_SECONDS = 1  # 15 at least in production (settings.py); a second here
    story = newsroom.lead
    Article.objects.filter(pk=story.pk).update(live_coverage=True)
    LiveUpdate.objects.create(article=story, body="<p>Polls have closed.</p>", headline="Polls close")
    reader = new_page()
    reader.goto(story.get_absolute_url())
    updates = reader.locator(".live__updates .live-update")
    expect(updates).to_have_count(1)
    expect(reader.locator(".story__header .live-label")).to_have_text("Live")
    check_a11y(reader)

    page = admin_page(editor)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    page.get_by_role("link", name="Post a live update").click()
    page.locator("[contenteditable=true][aria-label=Body]").click()
    page.keyboard.type("First results: turnout was 70 per cent.")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator(".messagelist")).to_contain_text("Posted")

    expect(updates).to_have_count(2)
    expect(updates.first).to_contain_text("First results: turnout was 70 per cent.")
    expect(reader.locator(".live__status")).to_have_text("1 new update.")
    newest = LiveUpdate.objects.latest("pk")
    expect(updates.first).to_have_attribute("id", f"update-{newest.pk}")
    check_a11y(reader)

    without_js = new_page(java_script_enabled=False)
    without_js.goto(story.get_absolute_url())
    expect(without_js.locator(".live__updates .live-update").first).to_contain_text("First results")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_banner_live_labels_and_corrections_page_have_no_wcag_violations(new_page, newsroom, check_a11y, viewport):
    BreakingNews.objects.create(
        text="Earthquake hits the capital", link="/world/", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    Article.objects.filter(pk=newsroom.lead.pk).update(live_coverage=True)
    LiveUpdate.objects.create(article=newsroom.lead, body="<p>What we know.</p>", pinned=True)
    page = new_page(viewport=viewport)
    for address in ["/", newsroom.lead.get_absolute_url(), "/corrections/"]:
        page.goto(address)
        expect(page.get_by_role("complementary", name="Breaking news")).to_contain_text("Earthquake hits the capital")
        check_a11y(page)
    expect(page.get_by_role("link", name=newsroom.lead.headline)).to_be_visible()
