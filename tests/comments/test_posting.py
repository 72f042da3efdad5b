"""Posting and reporting comments, and every guard against abuse."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.abuse import keyed_hash
from comments.models import BannedWord, Comment, Commenter, CommentSettings, Flag

pytestmark = pytest.mark.django_db

AWAITING = "Your comment awaits moderation"


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_posting_stores_a_pending_comment_and_redirects_with_a_message(client, story, post_comment):
    response = post_comment(
        story, author_name="  Ada   Reader ", email="Ada@Example.ORG", body="Line one  \r\n\r\n\r\n\r\nLine two"
    )
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}#comments"
    comment = Comment.objects.get()
    assert (comment.article, comment.status, comment.author_name) == (story, Comment.Status.PENDING, "Ada Reader")
    assert comment.email == "ada@example.org"
    assert comment.body == "Line one\n\nLine two"
    assert comment.user_agent == "TestBrowser/1.0"
    html = client.get(response["Location"]).content.decode()
    assert AWAITING in html
    assert AWAITING not in client.get(story.get_absolute_url()).content.decode()


def test_own_pending_comment_is_shown_to_its_author_only(client, story, post_comment):
    post_comment(story, body="My words, awaiting a moderator.")
    comment = Comment.objects.get()
    mine = client.get(story.get_absolute_url()).content.decode()
    assert f'<article class="comment comment--pending" id="comment-{comment.pk}">' in mine
    assert "only you can see this comment" in mine
    assert "(0)" in mine
    theirs = Client().get(story.get_absolute_url()).content.decode()
    assert "My words, awaiting a moderator." not in theirs


def test_reply_is_stored_under_its_parent(client, story, make_comment, post_comment):
    parent = make_comment(story)
    post_comment(story, parent=parent.pk)
    assert Comment.objects.get(status=Comment.Status.PENDING).parent == parent


def test_missing_fields_rerender_the_form_with_errors_next_to_fields(client, story, post_comment):
    response = post_comment(story, author_name="", email="not-an-email", body="Kept text.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your comment was not posted yet" in html
    name_field = html[html.index('<label for="id_author_name"') : html.index('name="author_name"')]
    assert "Please give your name." in name_field
    email_field = html[html.index('<label for="id_email"') : html.index('name="email"')]
    assert "Enter a valid email address." in email_field
    assert ">\nKept text.</textarea>" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("x" * 3001, "Your comment is 3001 characters long; the limit is 3000."),
        ("See https://a.example and http://b.example and www.c.example", "at most 2 are allowed"),
        ("   ", "Please write your comment."),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_body_limits(client, story, post_comment, body, error):
    response = post_comment(story, body=body)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Comment.objects.exists()


def test_two_links_are_allowed(client, story, post_comment):
    assert post_comment(story, body="See https://a.example and www.b.example").status_code == 302
    assert Comment.objects.count() == 1


def test_name_cannot_be_a_link(client, story, post_comment):
    response = post_comment(story, author_name="Cheap pills www.pills.example")
    assert "A name cannot contain a web address." in response.content.decode()


def test_closed_story_refuses_with_a_message(client, make_article, post_comment):
    story = make_article(comments_open=False)
    response = post_comment(story, follow=True)
    assert "Comments are closed on this story." in messages_of(response)
    assert not Comment.objects.exists()


def test_auto_closed_story_refuses(client, make_article, post_comment):
    CommentSettings.objects.create(close_after_days=3)
    story = make_article(publish_at=timezone.now() - datetime.timedelta(days=4))
    response = post_comment(story, follow=True)
    assert any("Comments close 3 days after" in message for message in messages_of(response))
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", [Article.Status.WITHDRAWN, Article.Status.DRAFT])
def test_withdrawn_or_unpublished_story_refuses(client, make_article, post_comment, status):
    story = make_article(status=status)
    response = post_comment(story)
    assert response.status_code == 403
    assert "This story is not available, so it takes no comments." in response.content.decode()
    assert not Comment.objects.exists()


def test_unknown_story_is_404_and_get_is_405(client, story):
    assert client.post("/comments/post/999999/", {}).status_code == 404
    assert client.get(f"/comments/post/{story.pk}/").status_code == 405


def test_parent_from_another_story_is_refused(client, story, make_article, make_comment, post_comment):
    elsewhere = make_comment(make_article())
    response = post_comment(story, parent=elsewhere.pk)
    assert response.status_code == 400
    assert "You can only reply to a comment on this story." in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_parent_must_be_published(client, story, make_comment, post_comment, status):
    hidden = make_comment(story, status=status)
    response = post_comment(story, parent=hidden.pk)
    assert "The comment you are replying to is not available any more." in response.content.decode()


def token_in(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def test_token_for_the_story_forms_is_fetched_fresh_and_never_cached(story, comment_data):
    browser = Client(enforce_csrf_checks=True)
    response = browser.get("/comments/token/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert browser.cookies["csrftoken"].value
    response = browser.post(f"/comments/post/{story.pk}/", comment_data(csrfmiddlewaretoken=response.json()["token"]))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_comment_without_a_token_is_offered_back_to_confirm_and_not_stored(story, comment_data):
    browser = Client(enforce_csrf_checks=True)
    data = comment_data(author_name="Ada Reader", body="Sent with JavaScript off.\nSecond line.")
    response = browser.post(f"/comments/post/{story.pk}/", data)
    assert response.status_code == 403
    assert response["X-Frame-Options"] == "DENY"  # another site cannot frame it and trick the click
    assert not Comment.objects.exists()
    html = response.content.decode()
    assert "please check it and press “Post comment” to send it" in html
    assert 'value="Ada Reader"' in html and "Sent with JavaScript off.\nSecond line.</textarea>" in html
    assert html.count('name="csrfmiddlewaretoken"') == 1
    response = browser.post(f"/comments/post/{story.pk}/", {**data, "csrfmiddlewaretoken": token_in(response)})
    assert response.status_code == 302
    assert Comment.objects.get().body == "Sent with JavaScript off.\nSecond line."


def test_reply_without_a_token_keeps_what_it_answers(story, make_comment, comment_data):
    parent = make_comment(story)
    browser = Client(enforce_csrf_checks=True)
    data = comment_data(parent=parent.pk)
    response = browser.post(f"/comments/post/{story.pk}/", data)
    assert f'<input type="hidden" name="parent" value="{parent.pk}" id="id_parent">' in response.content.decode()
    browser.post(f"/comments/post/{story.pk}/", {**data, "csrfmiddlewaretoken": token_in(response)})
    assert Comment.objects.get(body=data["body"]).parent == parent


@pytest.mark.parametrize("address", ["/comments/post/999999/", "/comments/999999/flag/", "/admin/login/"])
def test_other_posts_without_a_token_get_the_plain_refusal(db, comment_data, address):
    response = Client(enforce_csrf_checks=True).post(address, comment_data(reason="spam"))
    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
    assert not Comment.objects.exists() and not Flag.objects.exists()


def test_comment_without_a_token_on_a_withdrawn_story_is_refused(make_article, comment_data):
    story = make_article(status=Article.Status.WITHDRAWN)
    response = Client(enforce_csrf_checks=True).post(f"/comments/post/{story.pk}/", comment_data())
    assert response.status_code == 403
    assert "Post comment" not in response.content.decode()


def test_honeypot_discards_the_post_but_looks_like_success(client, story, post_comment):
    response = post_comment(story, website="http://spam.example", follow=True)
    assert any(AWAITING in message for message in messages_of(response))
    assert not Comment.objects.exists()


def test_rate_limit_per_ip_gives_a_friendly_429(client, story, post_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    assert post_comment(story).status_code == 302
    assert post_comment(story).status_code == 302
    response = post_comment(story, body="My third remark, kept for me.")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.COMMENTS_RATE_WINDOW
    html = response.content.decode()
    assert "Please wait a little before posting again" in html
    assert "My third remark, kept for me.</textarea>" in html
    assert Comment.objects.count() == 2
    assert post_comment(story, ip="198.51.100.9").status_code == 302


def test_rate_limit_counts_an_ipv6_network_as_one_reader(client, story, post_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    assert post_comment(story, ip="2001:db8:1:2::1").status_code == 302
    assert post_comment(story, ip="2001:db8:1:2:ffff::9").status_code == 302
    assert post_comment(story, ip="2001:db8:1:2::abcd").status_code == 429
    assert post_comment(story, ip="2001:db8:1:3::1").status_code == 302
    assert len(set(Comment.objects.values_list("ip_hash", flat=True))) == 3


def test_rate_limit_per_email_across_addresses(client, story, post_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    for n, ip in enumerate(["192.0.2.1", "192.0.2.2"]):
        assert post_comment(story, ip=ip, email="same@example.org", body=f"Remark {n}").status_code == 302
    response = post_comment(story, ip="192.0.2.3", email="SAME@example.org", body="Remark 3")
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_rate_limit_lives_in_the_shared_cache(client, story, post_comment, settings):
    from django.core.cache import cache

    settings.COMMENTS_RATE_LIMIT = 1
    post_comment(story)
    cache.clear()  # another server, same Redis: the count is in the cache, not in this process
    assert post_comment(story).status_code == 302


def test_duplicate_posts_are_stored_once(client, story, post_comment):
    post_comment(story, email="a@example.org", body="Same words here.")
    response = post_comment(story, email="A@example.org", body="  same   WORDS here. ", follow=True)
    assert any("already posted this comment" in message for message in messages_of(response))
    assert Comment.objects.count() == 1


def test_same_text_by_others_or_elsewhere_is_not_a_duplicate(client, story, make_article, post_comment):
    post_comment(story, email="a@example.org", body="Well said.")
    post_comment(story, email="b@example.org", body="Well said.")
    post_comment(make_article(), email="a@example.org", body="Well said.")
    assert Comment.objects.count() == 3


def test_ip_addresses_are_stored_only_as_salted_hashes(client, story, post_comment, settings):
    post_comment(story, ip="203.0.113.7")
    comment = Comment.objects.get()
    assert comment.ip_hash == keyed_hash("203.0.113.7")
    assert len(comment.ip_hash) == 64 and "203.0.113.7" not in comment.ip_hash
    stored = [str(value) for value in Comment.objects.values().get().values()]
    assert not any("203.0.113" in value for value in stored)
    settings.COMMENTS_IP_SALT = "another salt"
    assert keyed_hash("203.0.113.7") != comment.ip_hash


def test_trusted_commenter_is_published_at_once(client, story, post_comment):
    Commenter.objects.create(trust=Commenter.Trust.TRUSTED, email="Trusted@Example.org")
    response = post_comment(story, email="trusted@example.org", body="Straight on the page.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED and comment.moderated_at
    assert response["Location"] == f"{story.get_absolute_url()}#comment-{comment.pk}"
    assert "Straight on the page." in Client().get(story.get_absolute_url()).content.decode()


def test_banned_words_send_to_spam_or_review(client, story, post_comment):
    BannedWord.objects.create(word="casino bonus", action=BannedWord.Action.SPAM)
    BannedWord.objects.create(word="idiot", action=BannedWord.Action.REVIEW)
    Commenter.objects.create(trust=Commenter.Trust.TRUSTED, email="trusted@example.org")
    post_comment(story, body="Best CASINO  bonus here")
    post_comment(story, body="Get a Casino bonus!")
    post_comment(story, email="trusted@example.org", body="What an idiot.")
    post_comment(story, email="trusted@example.org", body="Idiotic is not a banned word.")
    statuses = list(Comment.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["pending", "spam", "pending", "approved"]
    assert Comment.objects.filter(status="pending", reason__contains="banned word").count() == 1


def test_deleting_a_story_with_comments_is_refused(story, make_comment):
    from django.db.models import ProtectedError

    make_comment(story)
    with pytest.raises(ProtectedError):
        story.delete()
    assert Comment.objects.count() == 1


def test_flagging_a_comment(client, story, make_comment):
    comment = make_comment(story)
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "abuse"}, REMOTE_ADDR="192.0.2.5", follow=True)
    assert "Thank you for your report. A moderator will look at this comment." in messages_of(response)
    assert response.redirect_chain[-1][0] == f"{story.get_absolute_url()}#comment-{comment.pk}"
    flag = Flag.objects.get()
    assert (flag.comment, flag.reason, flag.ip_hash) == (comment, "abuse", keyed_hash("192.0.2.5"))
    again = client.post(f"/comments/{comment.pk}/flag/", {"reason": "spam"}, REMOTE_ADDR="192.0.2.5", follow=True)
    assert "You have already reported this comment; a moderator will look at it." in messages_of(again)
    assert Flag.objects.count() == 1


def test_report_without_a_token_is_offered_back_to_confirm(story, make_comment):
    comment = make_comment(story, body="Rude words here.")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/comments/{comment.pk}/flag/", {"reason": "abuse"})
    assert response.status_code == 403
    assert not Flag.objects.exists()
    html = response.content.decode()
    assert "Rude words here." in html and story.headline in html
    assert '<option value="abuse" selected>' in html
    browser.post(f"/comments/{comment.pk}/flag/", {"reason": "abuse", "csrfmiddlewaretoken": token_in(response)})
    assert Flag.objects.get().reason == "abuse"


def test_flag_needs_a_listed_reason(client, story, make_comment):
    comment = make_comment(story)
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "because"}, follow=True)
    assert "Please choose a reason from the list." in messages_of(response)
    assert not Flag.objects.exists()


def test_only_published_comments_can_be_flagged(client, story, make_comment):
    pending = make_comment(story, status=Comment.Status.PENDING)
    assert client.post(f"/comments/{pending.pk}/flag/", {"reason": "abuse"}).status_code == 404
    assert client.get(f"/comments/{pending.pk}/flag/").status_code == 404
    assert client.put(f"/comments/{pending.pk}/flag/").status_code == 405


def test_without_javascript_report_opens_the_comments_own_report_page(story, make_comment):
    comment = make_comment(story, body="Rude words here.")
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(f"/comments/{comment.pk}/flag/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rude words here." in html and story.headline in html
    assert "Your report was not sent yet" not in html
    # The required select starts on its empty choice, so that no reason is sent by mistake.
    assert re.search(
        r'<select name="reason"[^>]* required[^>]*>\s*<option value="" selected>Choose a reason</option>', html
    )
    assert not Flag.objects.exists()
    sent = browser.post(f"/comments/{comment.pk}/flag/", {"reason": "spam", "csrfmiddlewaretoken": token_in(response)})
    assert sent.status_code == 302 and sent["Location"] == comment.get_absolute_url()
    assert Flag.objects.get().reason == "spam"


def test_flags_are_rate_limited(client, story, make_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    first, second = make_comment(story), make_comment(story)
    assert client.post(f"/comments/{first.pk}/flag/", {"reason": "abuse"}).status_code == 302
    response = client.post(f"/comments/{second.pk}/flag/", {"reason": "abuse"})
    assert response.status_code == 429 and response["Retry-After"]
    assert Flag.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver"},
    ],
    ids=["sec-fetch-site", "origin-only"],
)
def test_one_press_posts_a_comment_without_a_token_from_this_site(story, comment_data, headers):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(story.get_absolute_url())
    assert "csrfmiddlewaretoken" not in page.content.decode() and "csrftoken" not in page.cookies
    assert "public" in page["Cache-Control"]
    response = browser.post(f"/comments/post/{story.pk}/", comment_data(body="One press is enough."), **headers)
    assert response.status_code == 302
    assert Comment.objects.get().body == "One press is enough."


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://blog.testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
    ids=["cross-site", "sibling-subdomain", "foreign-origin", "sandboxed"],
)
def test_posting_from_another_site_is_refused_even_with_a_token(client, story, comment_data, headers):
    token = client.get("/comments/token/").json()["token"]
    response = client.post(f"/comments/post/{story.pk}/", comment_data(csrfmiddlewaretoken=token), **headers)
    assert response.status_code == 403
    assert "sent from another site, so it was not posted" in response.content.decode()
    assert not Comment.objects.exists()


def test_trusted_origin_behind_a_proxy_may_post(story, comment_data, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example"]
    response = Client(enforce_csrf_checks=True).post(
        f"/comments/post/{story.pk}/", comment_data(), HTTP_ORIGIN="https://news.example"
    )
    assert response.status_code == 302 and Comment.objects.count() == 1


@pytest.mark.parametrize("name, shown", [("Farid N.", "Farid N.</a> "), ("Ada", "Ada</a>. "), ("Who?", "Who?</a> ")])
def test_replying_to_a_name_ending_in_a_full_stop_has_one(client, story, make_comment, name, shown):
    parent = make_comment(story, author_name=name)
    html = client.get(story.get_absolute_url(), {"reply_to": parent.pk}).content.decode()
    assert f'Replying to <a href="#comment-{parent.pk}">{shown}' in html
    assert ".." not in html[html.index("Replying to <a") :][:120]
