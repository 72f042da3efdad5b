"""Readers' emails, sent outside the request through a real SMTP server (aiosmtpd) that the tests start."""

import email
import re
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from comments.models import Comment, OutboundEmail
from comments.notifications import unsubscribe_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DECIDE = reverse("admin:comments_comment_decide")


class Mailbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self.controller = None

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def wait_for(self, n, seconds=10):
        deadline = time.monotonic() + seconds
        while len(self.messages) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port, and Django's SMTP backend pointed at it."""
    mailbox = Mailbox(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", mailbox.port, 5
    settings.SITE_URL = "https://news.example"
    mailbox.start()
    yield mailbox
    mailbox.stop()


def approve(client, moderator, comment):
    client.force_login(moderator)
    data = {"comment": comment.pk, "story": comment.article_id, "decision": "approved"}
    return client.post(DECIDE, data, HTTP_ACCEPT="application/json")


def test_approval_email_with_one_click_unsubscribe(client, moderator, story, post_comment, smtp):
    post_comment(story, author_name="Ada", email="ada@example.org", notify="on", body="Well argued.")
    comment = Comment.objects.get()
    assert comment.notify is True and not OutboundEmail.objects.exists()
    assert approve(client, moderator, comment).json()["done"]
    (message,) = smtp.wait_for(1)
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Your comment is published on The Newsdesk"
    assert "Your comment on “Council approves new budget” is now published" in message.get_payload(decode=True).decode()
    header = "".join(message["List-Unsubscribe"].split())  # long headers are folded
    url = re.fullmatch(r"<(https://news\.example/comments/unsubscribe/[^>]+/)>", header)[1]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.get_payload(decode=True).decode()
    assert OutboundEmail.objects.get().sent_at is not None
    mail_client = Client(enforce_csrf_checks=True)
    path = url.removeprefix("https://news.example")
    shown = mail_client.get(path)
    assert "Stop these emails" in shown.content.decode()
    comment.refresh_from_db()
    assert comment.notify is True  # opening the link (as a mail scanner does) changes nothing
    assert "You will get no more comment emails" in mail_client.post(path).content.decode()
    comment.refresh_from_db()
    assert comment.notify is False


def test_a_reply_emails_the_opted_in_parent_but_not_oneself(client, moderator, story, make_comment, post_comment, smtp):
    parent = make_comment(story, author_name="Ada", email="ada@example.org", notify=True)
    post_comment(story, parent=parent.pk, author_name="Ben", email="ben@example.org", body="I disagree.")
    post_comment(story, parent=parent.pk, author_name="Ada", email="ada@example.org", body="Also me.")
    ben, ada = Comment.objects.filter(parent=parent).order_by("created")
    approve(client, moderator, ben)
    approve(client, moderator, ada)
    (message,) = smtp.wait_for(1)
    time.sleep(0.3)
    assert len(smtp.messages) == 1
    assert message["To"] == "ada@example.org" and message["Subject"] == "Ben replied to your comment on The Newsdesk"
    assert "I disagree." in message.get_payload(decode=True).decode()


def test_no_email_without_opting_in(client, moderator, story, post_comment, smtp):
    post_comment(story)
    approve(client, moderator, Comment.objects.get())
    assert not OutboundEmail.objects.exists()


def test_smtp_down_never_fails_the_post_and_the_email_is_retried(client, moderator, story, post_comment, smtp):
    smtp.stop()
    post_comment(story, email="ada@example.org", notify="on")
    started = time.monotonic()
    assert approve(client, moderator, Comment.objects.get()).json()["done"]
    assert time.monotonic() - started < 2  # the decision did not wait for the mail server
    failed = OutboundEmail.objects.get()
    assert (failed.sent_at, failed.attempts) == (None, 1) and failed.last_error
    smtp.start()
    call_command("send_outbox")
    (message,) = smtp.wait_for(1)
    assert message["To"] == "ada@example.org"
    sent = OutboundEmail.objects.get()
    assert sent.sent_at and sent.attempts == 2 and sent.last_error == ""
    call_command("send_outbox")
    time.sleep(0.2)
    assert len(smtp.messages) == 1


def test_a_forged_unsubscribe_link_gets_a_clear_message(client, story, make_comment):
    make_comment(story, email="ada@example.org", notify=True)
    token = unsubscribe_token("ada@example.org")
    response = client.post(reverse("comments:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and "This unsubscribe link is not valid" in response.content.decode()
    assert Comment.objects.get().notify is True
