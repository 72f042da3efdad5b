"""The newsroom's own admin pages under axe, as editors and moderators use them, widgets loaded.

Django's admin leaves some names out (Select2's boxes, the story editor's toolbar, a date-and-time
field's two inputs, the cells of inline tables); static/js/admin-a11y.js, LabelledTabularInline and
templates/admin/widgets/split_datetime.html put them back.
"""

import pytest
from playwright.sync_api import expect

from articles.curation import FrontPage
from articles.models import AlsoRead, BodyPhoto
from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def story(make_article, make_author, make_photo, make_tag):
    other = make_article("Ferry timetable changes")
    article = make_article(
        "Council approves budget",
        body="<p>The council voted on Monday.</p><p>The mayor abstained.</p>",
        authors=[make_author("Ann Writer")],
        tags=[make_tag("Council")],
        lead_photo=make_photo(),
    )
    AlsoRead.objects.create(article=article, target=other, after_paragraph=1)
    BodyPhoto.objects.create(article=article, photo=make_photo(caption="The chamber."), after_paragraph=2)
    Comment.objects.create(article=article, author_name="Ada", email="ada@example.org", body="Good.")
    return article


def editor_pages(story):
    FrontPage.objects.add_missing()
    return [
        f"/admin/articles/article/{story.pk}/change/",
        "/admin/articles/article/add/",
        "/admin/articles/article/",
        "/admin/articles/liveupdate/add/",
        "/admin/photos/photo/add/",
        f"/admin/photos/photo/{story.lead_photo.pk}/change/",
        f"/admin/articles/section/{story.section.pk}/change/",
        f"/admin/articles/tag/{story.tags.get().pk}/change/",
        f"/admin/articles/author/{story.authors.get().pk}/change/",
        f"/admin/articles/frontpage/{FrontPage.objects.get(section=None).pk}/change/",
        "/admin/",
    ]


def test_editors_pages_have_no_violations_once_their_widgets_run(admin_page, editor, story, check_a11y):
    page = admin_page(editor)
    for url in editor_pages(story):
        page.goto(url)
        if "/article/" in url and url.endswith("change/"):
            expect(page.locator(".prose-menubar__button[data-icon]").first).to_be_visible()
            expect(page.locator(".field-section .select2-selection[aria-labelledby]")).to_have_count(1)
        check_a11y(page)


def test_the_toolbar_keeps_its_icons_and_says_which_are_unavailable(admin_page, editor, story):
    page = admin_page(editor)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    bold = page.get_by_role("button", name="bold", exact=True)
    expect(bold).to_have_attribute("data-icon", "format_bold")
    expect(bold).to_have_attribute("aria-disabled", "false")
    # The ligature draws one square icon, not the word "format_bold".
    box = bold.bounding_box()
    assert box["width"] < 2 * box["height"]
    expect(page.get_by_role("button", name="undo", exact=True)).to_have_attribute("aria-disabled", "true")
    page.locator(".ProseMirror[contenteditable]").click()
    page.keyboard.type(" More.")
    expect(page.get_by_role("button", name="undo", exact=True)).to_have_attribute("aria-disabled", "false")


def test_select2_boxes_and_date_parts_are_named_by_their_labels(admin_page, editor, story):
    page = admin_page(editor)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    expect(page.get_by_role("combobox", name="Section:")).to_have_count(1)
    expect(page.get_by_role("textbox", name="Date:").first).to_be_visible()
    expect(page.get_by_role("checkbox", name="Delete").first).to_be_attached()
    page.locator("#bylines-group .add-row a").click()
    expect(page.locator("#bylines-group .select2-selection[aria-labelledby]")).to_have_count(3)


def test_moderators_pages_have_no_violations(admin_page, moderator, story, check_a11y):
    page = admin_page(moderator)
    pages = ["/admin/", "/admin/comments/comment/", "/admin/comments/commentsettings/", "/admin/comments/ban/add/"]
    for url in [*pages, f"/admin/comments/comment/{story.comments.get().pk}/change/"]:
        page.goto(url)
        check_a11y(page)
