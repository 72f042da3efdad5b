"""What a reader does on the site, with JavaScript on and off (the ``reader_page`` fixture runs both)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reader_goes_from_home_to_a_section_a_story_and_its_also_read_link(reader_page, newsroom):
    page = reader_page
    page.goto("/")
    top = page.get_by_role("region", name="Top stories")
    expect(top.get_by_role("link", name=newsroom.lead.headline)).to_be_visible()

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Sci-Tech").click()
    expect(page).to_have_url(re.compile(r"/sci-tech/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sci-Tech")
    expect(page.get_by_role("navigation", name="Sections").get_by_role("link", name="Sci-Tech")).to_have_attribute(
        "aria-current", "page"
    )

    page.get_by_role("link", name=newsroom.lead.headline).click()
    expect(page).to_have_url(re.compile(re.escape(newsroom.lead.get_absolute_url()) + "$"))
    story = page.get_by_role("article").first
    expect(story.get_by_role("heading", level=1)).to_have_text(newsroom.lead.headline)
    expect(story.locator(".story__standfirst")).to_contain_text("Roscosmos says")
    expect(story.locator(".byline")).to_contain_text("Amina Khan and News Desk")
    expect(story.get_by_role("img", name="A rocket lifting off")).to_be_visible()
    expect(story.locator("figcaption")).to_contain_text("PHOTO: REUTERS", ignore_case=True)
    expect(story.get_by_role("heading", name="Corrections and updates")).to_be_visible()

    also_read = story.get_by_role("complementary", name="Also read")
    expect(also_read).to_contain_text("Europe looks for a new launcher")
    also_read.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(newsroom.follow_up.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Europe looks for a new launcher")


def test_reader_pages_through_a_section(reader_page, newsroom):
    page = reader_page
    page.goto(newsroom.scitech.get_absolute_url())
    headlines = page.locator(".story-list .card__headline")
    pages = [headlines.all_inner_texts()]
    expect(page.get_by_role("link", name="← Newer")).to_have_count(0)
    while page.get_by_role("link", name="Older →").count():
        page.get_by_role("link", name="Older →").click()
        expect(headlines.first).not_to_have_text(pages[-1][0])
        pages.append(headlines.all_inner_texts())
    assert [len(stories) for stories in pages] == [3, 3, 1]
    everything = [headline for stories in pages for headline in stories]
    assert everything[:2] == [newsroom.lead.headline, newsroom.follow_up.headline]
    assert everything[2:] == [story.headline for story in newsroom.older]

    page.get_by_role("link", name="← Newer").click()
    expect(headlines.first).to_have_text(pages[1][0])
    assert headlines.all_inner_texts() == pages[1]


def test_reader_follows_byline_and_tag_links(reader_page, newsroom):
    page = reader_page
    page.goto(newsroom.lead.get_absolute_url())
    page.locator(".byline").get_by_role("link", name="News Desk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News Desk")
    expect(page.get_by_role("link", name="Europe looks for a new launcher")).to_be_visible()

    page.goto(newsroom.lead.get_absolute_url())
    page.get_by_role("navigation", name="Tags").get_by_role("link", name="Europe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Europe")
    expect(page.get_by_role("link", name=newsroom.lead.headline)).to_be_visible()


def test_unknown_address_shows_the_friendly_404(reader_page, newsroom):
    response = reader_page.goto("/sci-tech/2001/01/01/no-such-story/")
    assert response.status == 404
    expect(reader_page.get_by_role("heading", level=1)).to_have_text("We couldn’t find that page")
    reader_page.get_by_role("link", name="Go to the front page").click()
    expect(reader_page).to_have_url(re.compile(r"/$"))


def test_reader_searches_from_the_masthead_and_pages_through_results(reader_page, newsroom):
    page = reader_page
    page.goto("/")
    page.get_by_role("searchbox", name="Search the site").fill("launcher")
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=launcher"))
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("link", name="Europe looks for a new launcher")).to_be_visible()
    results.get_by_role("link", name="Europe looks for a new launcher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Europe looks for a new launcher")

    page.goto("/search/?q=archive")
    first_page = page.locator(".search-result h3").all_inner_texts()
    assert len(first_page) == 3 and all("Archive story" in headline for headline in first_page)
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".pagination__current")).to_have_text("Page 2")
    second_page = page.locator(".search-result h3").all_inner_texts()
    assert len(second_page) == 2 and not set(first_page) & set(second_page)
