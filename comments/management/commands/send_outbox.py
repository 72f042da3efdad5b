from django.core.management.base import BaseCommand

from comments.notifications import send_outbox


class Command(BaseCommand):
    help = "Send the readers' emails waiting in the outbox, retrying those the mail server refused before."

    def handle(self, *args, **options):
        sent, failed = send_outbox()
        self.stdout.write(f"{sent} sent, {failed} failed (to be retried).")
