"""The search page on a phone: filters folded so the first result is on the first screen, with or
without JavaScript; on a desktop (with JavaScript) they are open. And the archive is found from the footer."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_on_a_phone_the_first_result_is_on_the_first_screen(new_page, newsroom, javascript):
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto("/search/?q=archive")
    filters = page.locator("details.search-filters")
    expect(filters).not_to_have_attribute("open", re.compile(".*"))
    expect(page.get_by_label("Sort by")).to_be_hidden()
    first = page.locator(".search-result").first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    # The filters still work: unfold them, pick one, search again.
    page.get_by_text("Filters and order").click()
    page.get_by_label("Sort by").select_option("date")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"order=date"))
    expect(page.locator("details.search-filters")).to_have_attribute("open", "")


def test_on_a_desktop_the_filters_are_open(new_page, newsroom):
    page = new_page(viewport=DESKTOP)
    page.goto("/search/?q=archive")
    expect(page.get_by_label("Sort by")).to_be_visible()


def test_reader_finds_a_month_of_stories_from_the_footer(reader_page, newsroom):
    page = reader_page
    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Archive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive")
    months = page.locator(".archive-index__months a")
    expect(months.first).to_be_visible()
    months.first.click()
    expect(page).to_have_url(re.compile(r"/archive/\d{4}/\d{2}/$"))
    expect(page.locator(".card").first).to_be_visible()
