"""Emails to readers who asked for them: their comment approved, a reply to it.

An email is first a row of the outbox (``OutboundEmail``), written in the
same transaction as the decision that calls for it, so none is lost and none
is sent for a decision that rolled back. With it goes a background job
(``comments.tasks.send_emails``) that sends what the outbox holds, outside
the request: posting or moderating never waits for the mail server, nor fails
when it is down. What could not be sent stays in the outbox; the job is tried
again with a backoff, and workers also run it every five minutes, each email
being tried up to COMMENTS_EMAIL_ATTEMPTS times.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jobs.queue import enqueue_on_commit

UNSUBSCRIBE_SALT = "comments.unsubscribe"
# How long one sender may hold an email before another may try it (a killed worker's claim expires).
CLAIM = datetime.timedelta(minutes=5)


def unsubscribe_token(email):
    return signing.dumps(email, salt=UNSUBSCRIBE_SALT, compress=True)


def email_from_token(token):
    """The address a signed unsubscribe token names, or None if it was not signed here."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(email):
    return settings.SITE_URL + reverse("comments:unsubscribe", args=[unsubscribe_token(email)])


def queue_for_approved(comments):
    """Put in the outbox what these newly approved comments call for; inside the deciding transaction."""
    from .models import OutboundEmail

    emails = []
    for comment in comments:
        if comment.notify:
            emails.append(_email(comment.email, "comments/email/approved.txt", comment=comment))
        parent = comment.parent
        if parent is not None and parent.notify and parent.is_approved and parent.email != comment.email:
            emails.append(_email(parent.email, "comments/email/reply.txt", comment=parent, reply=comment))
    if emails:
        from .tasks import send_emails

        OutboundEmail.objects.bulk_create(emails)
        enqueue_on_commit(send_emails)


def _email(to, template, **context):
    from .models import OutboundEmail

    unsubscribe = unsubscribe_url(to)
    context.update(site_name=settings.SITE_NAME, site_url=settings.SITE_URL, unsubscribe_url=unsubscribe)
    subject, body = render_to_string(template, context).split("\n", 1)
    return OutboundEmail(to=to, subject=subject.strip(), body=body.lstrip("\n"), unsubscribe_url=unsubscribe)


def send_outbox():
    """Send every email that is due; return (sent, failed). Each email is claimed first, so it goes once."""
    from .models import OutboundEmail

    sent = failed = 0
    due = Q(sent_at__isnull=True, attempts__lt=settings.COMMENTS_EMAIL_ATTEMPTS) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now())
    )
    for pk in list(OutboundEmail.objects.filter(due).values_list("pk", flat=True)):
        if not OutboundEmail.objects.filter(due, pk=pk).update(claimed_until=timezone.now() + CLAIM):
            continue  # another sender has it
        email = OutboundEmail.objects.get(pk=pk)
        try:
            email.message().send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried later
            failed += 1
            OutboundEmail.objects.filter(pk=pk).update(
                attempts=F("attempts") + 1, last_error=str(error)[:500], claimed_until=None
            )
        else:
            sent += 1
            OutboundEmail.objects.filter(pk=pk).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, claimed_until=None, last_error=""
            )
    return sent, failed


def message(email):
    """The EmailMessage of an outbox row, with one-click unsubscribe headers (RFC 2369 and RFC 8058)."""
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        to=[email.to],
        headers={
            "List-Unsubscribe": f"<{email.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
