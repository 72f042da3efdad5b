"""The reply form in a real browser, with JavaScript on and off."""

import os
import shutil

import pytest
from django.db import connections

from comments.models import Comment

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium on this machine (set CHROMIUM_PATH)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop on this thread; the ORM calls
    # in these tests are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
        # Database connections opened while Playwright's loop ran belong to its context: close them here.
        connections.close_all()


@pytest.fixture
def thread(make_article, make_comment):
    story = make_article(headline="Council approves new budget")
    first = make_comment(story, author_name="Alice", body="First comment.")
    second = make_comment(story, author_name="Bob", body="Second comment.")
    return story, first, second


def fill_and_post(page, body):
    page.fill("#id_author_name", "Dana")
    page.fill("#id_email", "dana@example.org")
    page.fill("#id_body", body)
    page.click("#comment-form button[type=submit]")


def test_reply_with_javascript_moves_the_form_under_the_comment(live_server, browser, thread):
    story, first, second = thread
    page = browser.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.click(f"#comment-{first.pk} .comment__reply")
    assert page.evaluate(f"document.getElementById('comment-{first.pk}').nextElementSibling.id") == "comment-form"
    assert page.input_value("#id_parent") == str(first.pk)
    assert page.text_content("#comment-form-heading") == "Reply to Alice"
    page.click(".comment-form__cancel")
    assert page.input_value("#id_parent") == ""
    assert page.evaluate("document.getElementById('comment-form').previousElementSibling.tagName") == "OL"
    page.click(f"#comment-{second.pk} .comment__reply")
    fill_and_post(page, "Answering Bob.")
    assert "Your comment awaits moderation" in page.text_content(".messages")
    assert Comment.objects.get(body="Answering Bob.").parent_id == second.pk


def test_reply_without_javascript_uses_the_reply_link(live_server, browser, thread):
    story, first, _ = thread
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.click(f"#comment-{first.pk} .comment__reply")
    assert f"reply_to={first.pk}" in page.url
    assert page.text_content("#comment-form-heading") == "Reply to Alice"
    fill_and_post(page, "Answering Alice without scripts.")
    assert "Your comment awaits moderation" in page.text_content(".messages")
    assert Comment.objects.get(body="Answering Alice without scripts.").parent_id == first.pk
    context.close()
