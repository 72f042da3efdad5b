"""Put a few reader comments under the demo stories, for trying out the thread and the moderation queue.

Only stories created by ``load_demo`` (by their slugs) get comments, and a
comment that is already there is left alone, so the command can run on
every start of a demo.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.loader import CommentLoader


class Command(BaseCommand):
    help = "Add demo reader comments (threads, one awaiting moderation, one reported) to the demo stories."

    def handle(self, *args, verbosity=1, **options):
        with transaction.atomic():
            created, missing = CommentLoader().load()
        if verbosity:
            note = f"; {missing} demo stories are missing (run load_demo first)" if missing else ""
            self.stdout.write(f"Demo comments: {created} created{note}.")
