"""Background jobs of reader comments."""

from django.conf import settings

from jobs.queue import job, periodic

from .notifications import send_outbox

# Workers also send what is due this often: an email whose job was lost (a broker restarted) still goes.
OUTBOX_SWEEP_SECONDS = 300


class EmailsNotSent(Exception):
    """Some emails of the outbox could not be sent; the job is tried again later."""


@periodic(every=OUTBOX_SWEEP_SECONDS)
@job(attempts=settings.COMMENTS_EMAIL_ATTEMPTS)
def send_emails():
    """Send the readers' emails waiting in the outbox (``OutboundEmail``, the durable record of each)."""
    sent, failed = send_outbox()
    if failed:
        raise EmailsNotSent(f"{failed} emails could not be sent, {sent} were; see the outbox for each error")
    return {"sent": sent}
