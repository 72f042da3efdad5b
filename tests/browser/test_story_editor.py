"""The story editor in a real browser: typing, pasting from Docs, Word and web pages, embeds, and what readers see."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article

from .test_newsroom import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLIPBOARD = Path(__file__).resolve().parents[1] / "clipboard"
DESKTOP = {"width": 1280, "height": 900}

PASTE = """([html, text]) => {
  const data = new DataTransfer();
  if (html) data.setData("text/html", html);
  data.setData("text/plain", text);
  const editor = document.querySelector(".field-body .ProseMirror[contenteditable]");
  editor.focus();
  editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def paste(page, html=None, text=""):
    page.evaluate(PASTE, [html, text])


def new_story(admin_page, editor, headline):
    page = admin_page(editor)
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Headline").press_sequentially(headline)
    choose(page, "id_section", "Sci", "Sci-Tech")
    choose(page, "id_bylines-0-author", "Amina", "Amina Khan")
    expect(page.locator(".field-body .ProseMirror[contenteditable]")).to_be_visible()
    return page


def save(page):
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("successfully")


def test_toolbar_sits_above_a_wide_editor_at_desktop_width(admin_page, editor, newsroom, screenshot_dir):
    page = new_story(admin_page, editor, "Toolbar check")
    menubar = page.locator(".field-body .prose-menubar").bounding_box()
    body = page.locator(".field-body .ProseMirror[contenteditable]").bounding_box()
    page.screenshot(path=str(screenshot_dir / "story-editor-desktop.png"), full_page=True)
    assert menubar["height"] < 90, "the buttons should sit in a row, not stack in a column"
    assert body["width"] > 600 and menubar["y"] < body["y"]


def test_type_a_story_with_a_subhead_emphasis_and_a_list(admin_page, editor, newsroom):
    page = new_story(admin_page, editor, "Typed story")
    text = page.locator(".field-body .ProseMirror[contenteditable]")
    text.click()
    page.keyboard.type("The first paragraph. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Bold words")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    page.keyboard.type("## A sub-head")
    page.keyboard.press("Enter")
    page.keyboard.type("- one item")
    page.keyboard.press("Enter")
    page.keyboard.type("another")
    save(page)
    assert Article.objects.get(headline="Typed story").body == (
        "<p>The first paragraph. <strong>Bold words</strong></p><h2>A sub-head</h2>"
        "<ul><li><p>one item</p></li><li><p>another</p></li></ul>"
    )


@pytest.mark.parametrize(
    "source, kept, dropped",
    [
        (
            "google_docs",
            [
                "<h2>Flood barrier opens early</h2>",
                "<strong>first time</strong>",
                "<em>Engineers</em>",
                '<a href="https://example.org/barrier">Read the report</a>',
                "<li><p>Roads stay open</p></li>",
            ],
            ["span", "style", "font-weight"],
        ),
        (
            "word",
            [
                "<h2>Budget vote</h2>",
                "<strong>one vote</strong>",
                "<em>long</em>",
                "<ul><li><p>Schools get more</p></li><li><p>Roads get less</p></li></ul>",
                '<a href="https://example.org/minutes">online</a>',
            ],
            ["Check the vote count", "[JD1]", "mso", "Calibri", "·"],
        ),
        (
            "web_page",
            [
                "<h3>Night trains return</h3>",
                "<strong>March</strong>",
                "<em>after three years</em>",
                "<ol><li><p>Vienna</p></li><li><p>Munich</p></li></ol>",
                "<blockquote><p>It is a good day",
            ],
            ["tracker", "img", "onclick", "font", "dropcap"],
        ),
    ],
)
def test_paste_keeps_structure_and_drops_the_rest(admin_page, editor, newsroom, source, kept, dropped):
    page = new_story(admin_page, editor, f"Pasted from {source}")
    paste(page, html=(CLIPBOARD / f"{source}.html").read_text(), text="(plain version)")
    save(page)
    stored = Article.objects.get(headline=f"Pasted from {source}").body
    for piece in kept:
        assert piece in stored, stored
    for piece in dropped:
        assert piece not in stored, stored


def test_plain_text_with_blank_lines_keeps_its_paragraphs_and_numbers_them(admin_page, editor, newsroom):
    page = new_story(admin_page, editor, "Plain text")
    paste(page, text="One.\n\nTwo.\n\nThree.")
    numbers = page.locator(".field-body .ProseMirror[contenteditable] > p").evaluate_all(
        "ps => ps.map(p => getComputedStyle(p, '::before').content)"
    )
    assert numbers == ["counter(paragraph)"] * 3 or numbers == ['"1"', '"2"', '"3"']
    save(page)
    assert Article.objects.get(headline="Plain text").body == "<p>One.</p><p>Two.</p><p>Three.</p>"


def test_a_pasted_address_becomes_an_embed_that_readers_load_on_request(
    admin_page, new_page, editor, newsroom, check_a11y
):
    page = new_story(admin_page, editor, "Launch video")
    page.locator(".field-body .ProseMirror[contenteditable]").click()
    page.keyboard.type("Watch the launch.")
    page.keyboard.press("Enter")
    paste(page, text="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    expect(page.locator(".field-body .body-embed")).to_contain_text("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page.get_by_label("Status").select_option(label="Published")
    save(page)
    story = Article.objects.get(headline="Launch video")
    assert '<figure data-embed="youtube" data-id="dQw4w9WgXcQ"' in story.body

    for javascript in (False, True):
        reader = new_page(java_script_enabled=javascript, viewport=DESKTOP)
        reader.goto(story.get_absolute_url())
        expect(reader.get_by_role("link", name="Watch on YouTube")).to_have_attribute(
            "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        )
        expect(reader.locator("iframe")).to_have_count(0)
    check_a11y(reader)  # axe runs as a script: on the page with JavaScript, before and after loading
    reader.route(re.compile(r"youtube-nocookie"), lambda route: route.fulfill(body="<p>player</p>"))
    reader.get_by_role("button", name="Load YouTube content here").click()
    frame = reader.locator("iframe.embed__frame")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(frame).to_have_attribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation")
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    check_a11y(reader)


def test_a_lookalike_address_is_refused_with_the_supported_list(admin_page, editor, newsroom):
    page = new_story(admin_page, editor, "Lookalike")
    paste(page, text="https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errorlist")).to_contain_text("is not a supported embed provider")
    expect(page.locator(".errorlist")).to_contain_text("YouTube, Vimeo, X (Twitter)")
    assert not Article.objects.filter(headline="Lookalike").exists()


def pick_photo(page, field_id, search, caption):
    """Choose a photo in a picker, seeing its thumbnail among the results first."""
    page.locator(f"#{field_id} + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill(search)
    result = page.locator(".select2-results__option", has_text=caption)
    expect(result.locator(".photo-option img")).to_have_attribute("src", re.compile(r"/square-.*\.jpg$"))
    result.click()
    expect(page.locator(f"#select2-{field_id}-container")).to_contain_text(caption)


def add_body_photo(page, row, search, caption, after, order=0):
    page.locator("#body_photos-group .add-row a").click()
    pick_photo(page, f"id_body_photos-{row}-photo", search, caption)
    page.locator(f"#id_body_photos-{row}-after_paragraph").fill(str(after))
    page.locator(f"#id_body_photos-{row}-order").fill(str(order))


def test_inline_photo_and_gallery_from_the_library_through_preview_to_the_reader(
    admin_page, new_page, editor, newsroom, make_photo, check_a11y
):
    make_photo(caption="The harbour at dawn.", credit="Jane Doe/AFP", alt_text="Boats in the harbour")
    make_photo(caption="Crowds on the quay.", credit="AP", alt_text="A crowd on the quay")
    make_photo(caption="The ferry leaves.", credit="AP", alt_text="A ferry leaving port")
    page = new_story(admin_page, editor, "Harbour reopens")
    page.locator(".field-body .ProseMirror[contenteditable]").click()
    for sentence in ("The harbour reopened.", "Crowds came to watch.", "Ferries run again tonight."):
        page.keyboard.type(sentence)
        page.keyboard.press("Enter")
    add_body_photo(page, 0, "Jane", "The harbour at dawn", after=1)
    add_body_photo(page, 1, "quay", "Crowds on the quay", after=2, order=1)
    add_body_photo(page, 2, "ferry", "The ferry leaves", after=2, order=2)
    save(page)

    preview = new_page(storage_state=page.context.storage_state(), viewport=DESKTOP)
    preview.goto(page.get_by_role("link", name="Preview").get_attribute("href"))
    expect(preview.get_by_role("img", name="Boats in the harbour")).to_be_visible()

    page.get_by_label("Status").select_option(label="Published")
    save(page)
    story = Article.objects.get(headline="Harbour reopens")
    for javascript in (True, False):
        reader = new_page(java_script_enabled=javascript, viewport=DESKTOP)
        reader.goto(story.get_absolute_url())
        inline = reader.locator(".story__body > .story__inline-photo")
        expect(inline.get_by_role("img", name="Boats in the harbour")).to_have_attribute("loading", "lazy")
        expect(inline.locator("figcaption")).to_contain_text("Photo: Jane Doe/AFP")
        gallery = reader.locator(".story__body .gallery")
        expect(gallery.get_by_role("listitem")).to_have_count(2)
        expect(gallery.get_by_role("img").first).to_have_accessible_name("A crowd on the quay")
        boxes = [item.bounding_box() for item in gallery.get_by_role("listitem").all()]
        assert boxes[0]["y"] == boxes[1]["y"], "a grid: the two photos side by side at desktop width"
        if javascript:
            check_a11y(reader)


def test_without_javascript_the_body_is_a_textarea_that_saves_paragraphs(new_page, editor, newsroom, screenshot_dir):
    story = newsroom.lead
    page = new_page(java_script_enabled=False, viewport=DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    body = page.locator("textarea[name=body]")
    expect(body).to_be_visible()
    assert body.bounding_box()["width"] > 500
    body.fill("First paragraph, typed.\n\nSecond paragraph.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("successfully")
    page.screenshot(path=str(screenshot_dir / "story-editor-no-js.png"), full_page=True)
    story.refresh_from_db()
    assert story.body.startswith("<p>First paragraph, typed.</p><p>Second paragraph.</p><figure data-embed=")
    page.goto(story.get_absolute_url())
    expect(page.get_by_role("link", name=re.compile("YouTube"))).to_be_visible()
