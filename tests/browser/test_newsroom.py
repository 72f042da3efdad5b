"""What editors and reporters do in the admin, in the browser, through to what readers see."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article

from ..conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def choose(page, field_id, search, option):
    """Pick a value in one of the admin's autocomplete (select2) boxes, as a person would."""
    page.locator(f"#{field_id} + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).click()
    expect(page.locator(f"#select2-{field_id}-container")).to_contain_text(option)


def test_editor_drafts_previews_schedules_and_publishes_a_story_with_a_photo(new_page, admin_page, editor, newsroom):
    page = admin_page(editor)

    page.goto("/admin/articles/article/add/")
    page.get_by_label("Headline").press_sequentially("Comet lander wakes up")
    expect(page.get_by_label("Slug")).to_have_value("comet-lander-wakes-up")
    page.get_by_label("Standfirst").fill("The probe phoned home after seven months of silence.")
    choose(page, "id_section", "Sci", "Sci-Tech")
    page.get_by_role("textbox", name="Body").click()
    page.keyboard.type("The lander sent 300 data packets overnight.")
    page.keyboard.press("Enter")
    page.keyboard.type("Engineers cheered.")
    choose(page, "id_bylines-0-author", "Amina", "Amina Khan")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    story = Article.objects.get(slug="comet-lander-wakes-up")
    assert story.status == Article.Status.DRAFT and story.byline_authors == [newsroom.reporter]
    assert story.body == "<p>The lander sent 300 data packets overnight.</p><p>Engineers cheered.</p>"

    preview = new_page(storage_state=page.context.storage_state())
    preview.goto(page.get_by_role("link", name="Preview").get_attribute("href"))
    expect(preview.locator(".preview-banner")).to_contain_text("this story is draft")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Comet lander wakes up")

    page.goto("/admin/photos/photo/add/")
    page.get_by_label("Image").set_input_files(
        files=[{"name": "lander.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(800, 450))}]
    )
    page.get_by_label("Alt text").fill("The comet lander on the surface")
    page.get_by_label("Caption").fill("The lander, as drawn by the agency.")
    page.get_by_label("Credit").fill("ESA")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(f"/admin/articles/article/{story.pk}/change/")
    choose(page, "id_lead_photo", "lander", "The lander, as drawn")
    page.get_by_label("Status").select_option(label="Scheduled")
    due = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("#id_publish_at_0").fill(due.strftime("%Y-%m-%d"))
    page.locator("#id_publish_at_1").fill("09:00:00")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert story.status == Article.Status.SCHEDULED and story.lead_photo.credit == "ESA"

    reader = new_page()
    reader.goto("/")
    expect(reader.get_by_role("link", name="Comet lander wakes up")).to_have_count(0)

    page.goto("/admin/articles/article/")
    row = page.get_by_role("row").filter(has_text="Comet lander wakes up")
    expect(row).to_contain_text("Scheduled")
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Publish selected stories now")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 story.")

    reader.reload()
    reader.get_by_role("link", name="Comet lander wakes up").first.click()
    expect(reader).to_have_url(re.compile(r"/sci-tech/\d{4}/\d{2}/\d{2}/comet-lander-wakes-up/$"))
    expect(reader.locator(".preview-banner")).to_have_count(0)
    expect(reader.get_by_role("img", name="The comet lander on the surface")).to_be_visible()
    expect(reader.locator("figcaption")).to_contain_text("ESA")


def test_reporter_cannot_publish(admin_page, reporter, newsroom):
    page = admin_page(reporter)

    page.goto("/admin/articles/article/add/")
    options = page.get_by_label("Status").locator("option").all_inner_texts()
    assert options == ["Draft", "In review"]
    expect(page.locator("#id_publish_at_0")).to_have_count(0)
    page.get_by_label("Headline").press_sequentially("Budget row deepens")
    choose(page, "id_section", "World", "World")
    page.get_by_label("Status").select_option(label="In review")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    actions = page.locator("select[name=action] option").all_inner_texts()
    assert not [action for action in actions if re.search(r"Publish|Schedule|Withdraw", action)], actions
    assert Article.objects.get(slug="budget-row-deepens").status == Article.Status.IN_REVIEW

    page.goto(newsroom.lead.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(newsroom.lead.headline)
    page.goto(f"/admin/articles/article/{newsroom.lead.pk}/change/")
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)

    page.goto("/")
    expect(page.get_by_role("link", name="Budget row deepens")).to_have_count(0)
