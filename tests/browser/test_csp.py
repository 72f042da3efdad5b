"""The Content-Security-Policy in a real browser: nothing the site does is refused (issue 18).

Every page opened here records each ``securitypolicyviolation`` event and
console error from its first script on; a test fails if any appears on a
story with an embed loaded and a comment being written, in the story editor
(typing, an autocomplete, pasting an embed, saving) or at the moderation desk.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article

from .test_desk import desk_page, pending_comments  # noqa: F401 (a fixture)
from .test_story_editor import new_story, paste, save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"} at ${where}`);
});
"""
EMBED = (
    '<p>Watch the launch.</p><figure data-embed="youtube" data-id="dQw4w9WgXcQ" '
    'data-url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></figure><p>More after the video.</p>'
)


@pytest.fixture
def watched(new_page, admin_page):
    """Pages that record CSP violations and console errors; ``problems(page)`` lists them."""
    console = {}

    def watch(page):
        page.add_init_script(RECORD_VIOLATIONS)
        console[page] = []
        page.on("console", lambda message: message.type == "error" and console[page].append(message.text))
        return page

    def problems(page):
        return page.evaluate("window.__violations || []") + console[page]

    return watch, problems


def test_a_story_with_an_embed_loaded_and_a_comment_written(new_page, newsroom, watched):
    watch, problems = watched
    newsroom.lead.body = EMBED
    newsroom.lead.save()
    page = watch(new_page())
    # No outside network here: the player answers from the test, as YouTube's own page would.
    page.route(re.compile(r"youtube-nocookie"), lambda route: route.fulfill(body="<p>The player</p>"))
    page.goto(newsroom.lead.get_absolute_url())
    page.get_by_role("button", name="Load YouTube content here").click()
    frame = page.frame_locator("iframe.embed__frame")
    expect(frame.locator("p")).to_have_text("The player")
    page.get_by_label("Comment", exact=True).fill("Good coverage.")  # fetches the CSRF token
    page.wait_for_load_state("networkidle")
    assert problems(page) == [], "\n".join(problems(page))


def test_the_story_editor_loads_and_saves_under_the_policy(admin_page, editor, newsroom, watched):
    watch, problems = watched
    page = new_story(lambda user: watch(admin_page(user)), editor, "Policy check")
    # The import map (inline, by nonce) resolved the editor's modules: it is on the page and editable.
    text = page.locator(".field-body .ProseMirror[contenteditable]")
    text.click()
    page.keyboard.type("Typed under a strict policy.")
    page.keyboard.press("Enter")
    paste(page, text="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    expect(page.locator(".field-body .body-embed")).to_be_visible()
    save(page)
    assert "Typed under a strict policy." in Article.objects.get(headline="Policy check").body
    expect(page.locator(".field-body .ProseMirror[contenteditable]")).to_contain_text("Typed under a strict policy.")
    assert problems(page) == [], "\n".join(problems(page))


def test_the_moderation_desk_decides_under_the_policy(desk_page, moderator, newsroom, watched):  # noqa: F811
    watch, problems = watched
    first, second = pending_comments(newsroom.lead, 2)
    page = desk_page(moderator)
    watch(page)
    page.reload()
    expect(page.locator(f"#card-{first.pk}")).to_be_visible()
    page.keyboard.press("a")
    expect(page.locator(f"#card-{first.pk}")).to_have_count(0)
    assert problems(page) == [], "\n".join(problems(page))
