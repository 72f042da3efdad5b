"""Revisions, edit conflicts and the desk in a real browser: restore a revision, and two editors saving one story."""

import pytest
from playwright.sync_api import expect

from articles.models import Article

from . import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def story(make_article, make_author):
    article = make_article(
        "Council approves budget",
        standfirst="The vote was close.",
        body="<p>The council voted on Monday.</p><p>The mayor abstained.</p>",
        authors=[make_author("Ann Writer")],
    )
    article.save()  # the revision with its byline
    return article


def open_story(admin_page, user, story):
    page = admin_page(user)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".field-body .ProseMirror[contenteditable]")).to_be_visible()
    return page


def save(page):
    page.get_by_role("button", name="Save and continue editing").click()


def test_restore_a_revision(admin_page, editor, story, check_a11y):
    page = open_story(admin_page, editor, story)
    page.get_by_label("Headline").fill("Council passes budget after a long night")
    save(page)
    expect(page.locator(".messagelist")).to_contain_text("successfully")

    page.get_by_role("link", name="History").click()
    expect(page.locator(".revision-list tbody tr")).to_have_count(3)
    expect(page.locator(".revision-list")).to_contain_text("Headline")
    check_a11y(page)
    page.locator(".revision-list tbody tr").nth(1).get_by_role("link").click()
    diff = page.locator(".revision-diff")
    expect(diff.locator("del")).to_contain_text(["approves"])
    expect(diff.locator("ins")).to_contain_text(["passes"])
    check_a11y(page)

    page.get_by_role("button", name="Restore this revision").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the revision of")
    expect(page.get_by_label("Headline")).to_have_value("Council approves budget")
    story.refresh_from_db()
    assert story.headline == "Council approves budget"
    page.get_by_role("link", name="History").click()
    expect(page.locator(".revision-list tbody tr")).to_have_count(4)
    expect(page.locator(".revision-list tbody tr").first).to_contain_text("Restored the revision of")


def violations_in(page, selector, axe_path):
    """axe-core's WCAG 2.2 AA violations inside one part of a page (the change form's own widgets are not ours)."""
    page.evaluate(axe_path.read_text() + "\n;true")  # not a <script>: the site's CSP would refuse it
    result = page.evaluate(
        "([selector, tags]) => axe.run({include: [selector]}, {runOnly: {type: 'tag', values: tags}})",
        [selector, axe.WCAG_AA_TAGS],
    )
    return [violation["id"] for violation in result["violations"]]


def test_hit_the_edit_conflict(admin_page, editor, make_user, story, axe_path):
    first = open_story(admin_page, editor, story)
    second = open_story(admin_page, make_user("Editor", username="nightdesk"), story)

    first.get_by_label("Headline").fill("Council passes budget")
    save(first)
    expect(first.locator(".messagelist")).to_contain_text("successfully")

    second.get_by_label("Standfirst").fill("My own standfirst, typed meanwhile.")
    save(second)
    conflict = second.locator(".edit-conflict")
    expect(conflict).to_be_visible()
    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(conflict).to_contain_text("editor at")
    expect(conflict.locator("del")).to_contain_text(["approves"])
    expect(conflict.locator("ins")).to_contain_text(["passes"])
    expect(second.get_by_label("Standfirst")).to_have_value("My own standfirst, typed meanwhile.")
    assert violations_in(second, ".edit-conflict", axe_path) == []
    assert Article.objects.get(pk=story.pk).standfirst == "The vote was close."

    # Having read what changed, the second editor saves again, knowingly.
    save(second)
    expect(second.locator(".messagelist")).to_contain_text("successfully")
    story.refresh_from_db()
    assert story.standfirst == "My own standfirst, typed meanwhile."
    assert story.headline == "Council approves budget"  # the second editor's form still had the old headline


def test_the_desk_per_role(admin_page, editor, reporter, story, make_article, check_a11y):
    make_article("A draft to finish", status=Article.Status.DRAFT, created_by=reporter)
    make_article("Ready for a look", status=Article.Status.IN_REVIEW)
    page = admin_page(editor)
    desk = page.locator("#desk")
    expect(desk.get_by_role("heading", name="In review")).to_be_visible()
    expect(desk).to_contain_text("Ready for a look")
    check_a11y(page)
    page = admin_page(reporter)
    expect(page.locator("#desk")).to_contain_text("A draft to finish")
    expect(page.locator("#desk").get_by_role("heading", name="In review")).to_have_count(0)
    check_a11y(page)
