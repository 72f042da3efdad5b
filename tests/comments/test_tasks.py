"""Readers' emails sent by a real worker, through a real SMTP server, from the outbox."""

import pytest
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, OutboundEmail
from comments.tasks import send_emails
from tests.comments.test_notifications import approve, smtp  # noqa: F401 - the SMTP server fixture
from tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_approval_email_is_sent_by_the_worker_and_retried_while_smtp_is_down(
    worker,
    client,
    moderator,
    story,
    post_comment,
    smtp,  # noqa: F811
):
    smtp.stop()
    post_comment(story, email="ada@example.org", notify="on")
    assert approve(client, moderator, Comment.objects.get()).json()["done"]
    assert OutboundEmail.objects.get().sent_at is None
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "TASKS_RETRY_BACKOFF": "3"}
    worker.start(**env)
    failed = DBTaskResult.objects.filter(task_path=send_emails.module_path).failed()
    assert wait_for(failed.first, what="a failed attempt").exception_class_path == "jobs.queue.RetryScheduled"

    smtp.start()
    (message,) = smtp.wait_for(1, seconds=30)
    assert message["To"] == "ada@example.org"
    sent = wait_for(OutboundEmail.objects.filter(sent_at__isnull=False).first, what="the outbox to record it")
    assert sent.attempts >= 2
    assert wait_for(DBTaskResult.objects.filter(task_path=send_emails.module_path).successful().exists)
    assert len(smtp.messages) == 1
