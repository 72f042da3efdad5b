"""Readers comment and reply, a moderator approves in the admin queue, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def post_comment(page, name, text):
    form = page.locator("#comment-form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(f"{name.split()[0].lower()}@example.org")
    form.get_by_label("Comment").fill(text)
    # One press, with JavaScript or without: the browser's Sec-Fetch-Site header vouches for the post.
    form.get_by_role("button", name="Post comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment awaits moderation")


def approve(moderator_page, text):
    moderator_page.goto("/admin/comments/comment/")
    row = moderator_page.get_by_role("row").filter(has_text=text)
    row.get_by_role("checkbox").check()
    moderator_page.locator("select[name=action]").select_option(
        label="Approve selected comments (and settle their reports)"
    )
    moderator_page.get_by_role("button", name="Go").click()
    expect(moderator_page.locator(".messagelist")).to_be_visible()
    expect(moderator_page.get_by_role("row").filter(has_text=text)).to_have_count(0)  # no longer needs attention
    moderator_page.get_by_role("link", name="All comments").click()
    expect(moderator_page.get_by_role("row").filter(has_text=text)).to_contain_text("Approved")


def test_comment_is_moderated_then_shown_and_a_reply_says_whom_it_answers(
    reader_page, new_page, javascript, admin_page, moderator, newsroom
):
    story = newsroom.lead.get_absolute_url()
    ada = reader_page
    ada.goto(story)
    comments = ada.get_by_role("region", name=re.compile("^Comments"))
    expect(comments.get_by_role("heading", level=2)).to_have_text("Comments (0)")
    expect(comments).to_contain_text("Comments are moderated and generally will be posted if they are on-topic")
    post_comment(ada, "Ada Reader", "The rover deserved better than this.")
    mine = ada.locator(".comment", has_text="The rover deserved better than this.")
    expect(mine).to_contain_text("Awaiting moderation")

    ben = new_page(java_script_enabled=javascript)
    ben.goto(story)
    expect(ben.get_by_text("The rover deserved better than this.")).to_have_count(0)

    moderator_page = admin_page(moderator)
    approve(moderator_page, "The rover deserved better than this.")

    ada.reload()
    expect(mine).to_be_visible()
    expect(mine).not_to_contain_text("Awaiting moderation")
    expect(comments.get_by_role("heading", level=2)).to_have_text("Comments (1)")

    ben.reload()
    ada_comment = ben.locator(".comment", has_text="The rover deserved better")
    ada_comment.get_by_role("link", name="Reply to Ada Reader").click()
    expect(ben.locator("#comment-form-heading")).to_have_text("Reply to Ada Reader")
    if javascript:
        assert ada_comment.evaluate("comment => comment.nextElementSibling.id") == "comment-form"
    else:
        expect(ben).to_have_url(re.compile(r"\?reply_to=\d+#comment-form$"))
    post_comment(ben, "Ben Reader", "It will fly one day, with or without them.")
    reply = Comment.objects.get(body="It will fly one day, with or without them.")
    assert reply.parent.author_name == "Ada Reader" and reply.status == Comment.Status.PENDING

    approve(moderator_page, "It will fly one day")
    ada.reload()
    answer = ada.locator(".comment", has_text="It will fly one day")
    expect(answer).to_contain_text("Replying to Ada Reader")
    expect(ada.locator(".comment-thread--replies .comment")).to_contain_text("It will fly one day")
    expect(comments.get_by_role("heading", level=2)).to_have_text("Comments (2)")
    answer.get_by_role("link", name="Ada Reader").click()
    expect(ada).to_have_url(re.compile(rf"#comment-{reply.parent_id}$"))


def test_reader_reports_a_comment_to_the_moderators(reader_page, javascript, newsroom):
    rude = Comment.objects.create(
        article=newsroom.lead, author_name="Troll", email="troll@example.org", body="Rude words.", status="approved"
    )
    Comment.objects.create(
        article=newsroom.lead, author_name="Kind", email="kind@example.org", body="Kind words.", status="approved"
    )
    reader_page.goto(newsroom.lead.get_absolute_url())
    report = reader_page.locator(f"#comment-{rude.pk}").get_by_role("link", name="Report the comment by Troll")
    report.click()
    if javascript:
        # One shared form, in a dialog, set up for the comment whose link was pressed.
        dialog = reader_page.get_by_role("dialog", name="Report a comment")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Reporting the comment by Troll.")
        dialog.get_by_label("Why should a moderator look at this comment?").select_option(label="Spam or advertising")
        dialog.get_by_role("button", name="Send report").click()
    else:
        # The comment's own report page, with the form and a token.
        expect(reader_page).to_have_url(re.compile(rf"/comments/{rude.pk}/flag/$"))
        expect(reader_page.get_by_text("Rude words.")).to_be_visible()
        reader_page.get_by_label("Why should moderators look at this comment?").select_option(
            label="Spam or advertising"
        )
        reader_page.get_by_role("button", name="Send report").click()
    expect(reader_page.locator(".messages")).to_contain_text("Thank you for your report")
    assert rude.flags.get().reason == "spam"


def test_with_javascript_the_report_dialog_can_be_cancelled_and_gives_focus_back(page, newsroom):
    troll = Comment.objects.create(
        article=newsroom.lead, author_name="Troll", email="troll@example.org", body="Rude words.", status="approved"
    )
    page.goto(newsroom.lead.get_absolute_url())
    report = page.locator(f"#comment-{troll.pk}").get_by_role("link", name="Report the comment by Troll")
    report.click()
    dialog = page.get_by_role("dialog", name="Report a comment")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(report).to_be_focused()
    report.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(report).to_be_focused()
    assert not troll.flags.exists()


def test_comment_form_with_the_keyboard_alone(page, newsroom):
    page.goto(newsroom.lead.get_absolute_url())
    fields = [("Name", "Kay Board"), ("Email", "kay@example.org"), ("Comment", "Typed without a mouse.")]
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_author_name":
            break
    for label, text in fields:
        field = page.locator("#comment-form").get_by_label(label)
        expect(field).to_be_focused()
        outline = field.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none", f"{label} has no visible focus"
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your comment awaits moderation")
    assert Comment.objects.get().author_name == "Kay Board"


def test_with_javascript_the_reply_form_opens_in_place_and_can_be_cancelled(page, newsroom):
    first = Comment.objects.create(
        article=newsroom.lead, author_name="Alice", email="alice@example.org", body="First.", status="approved"
    )
    Comment.objects.create(
        article=newsroom.lead, author_name="Bob", email="bob@example.org", body="Second.", status="approved"
    )
    page.goto(newsroom.lead.get_absolute_url())
    page.get_by_role("link", name="Reply to Alice").click()
    expect(page).not_to_have_url(re.compile("reply_to"))
    assert page.locator(f"#comment-{first.pk}").evaluate("comment => comment.nextElementSibling.id") == "comment-form"
    expect(page.locator("#id_parent")).to_have_value(str(first.pk))
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Alice")

    page.get_by_role("link", name="Cancel reply").click()
    expect(page.locator("#id_parent")).to_have_value("")
    expect(page.locator("#comment-form-heading")).to_have_text("Add a comment")
    # Back in its own place: in the comments section, after the whole thread.
    place = (
        "form => [form.parentElement.id, !!(form.compareDocumentPosition("
        "form.parentElement.querySelector('.comment-thread')) & Node.DOCUMENT_POSITION_PRECEDING)]"
    )
    assert page.locator("#comment-form").evaluate(place) == ["comments", True]

    page.get_by_role("link", name="Reply to Bob").click()
    post_comment(page, "Dana", "Answering Bob.")
    assert Comment.objects.get(body="Answering Bob.").parent.author_name == "Bob"


def test_the_form_remembers_name_and_email_in_this_browser_only(new_page, newsroom):
    page = new_page()
    page.goto(newsroom.lead.get_absolute_url())
    post_comment(page, "Farid N.", "First thoughts.")
    page.goto(newsroom.follow_up.get_absolute_url())
    form = page.locator("#comment-form")
    expect(form.get_by_label("Name")).to_have_value("Farid N.")
    expect(form.get_by_label("Email")).to_have_value("farid@example.org")
    other = new_page()
    other.goto(newsroom.follow_up.get_absolute_url())
    expect(other.locator("#comment-form").get_by_label("Name")).to_have_value("")


def test_replying_to_a_name_with_a_full_stop_shows_one(page, newsroom):
    Comment.objects.create(
        article=newsroom.lead, author_name="Farid N.", email="f@example.org", body="Well said.", status="approved"
    )
    page.goto(newsroom.lead.get_absolute_url())
    page.get_by_role("link", name="Reply to Farid N.").click()
    replying = page.locator(".comment-form__replying")
    expect(replying).to_have_text("Replying to Farid N. Cancel reply")
