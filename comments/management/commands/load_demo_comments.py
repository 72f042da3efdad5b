"""Put a few reader comments under the demo stories, for trying out the thread and the moderation queue.

Only stories created by ``load_demo`` (by their slugs) get comments, and a
comment that is already there is left alone, so the command can run on
every start of a demo.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from comments.demo_comments import THREADS
from comments.models import Comment, Flag, body_digest


class Command(BaseCommand):
    help = "Add demo reader comments (threads, one awaiting moderation, one reported) to the demo stories."

    def handle(self, *args, verbosity=1, **options):
        stories = Article.objects.select_related("section").in_bulk(list(THREADS), field_name="slug")
        created = 0
        with transaction.atomic():
            for slug, thread in THREADS.items():
                if slug in stories and stories[slug].publish_at:
                    created += self.load_thread(stories[slug], thread)
        if verbosity:
            missing = len(THREADS) - len(stories)
            note = f"; {missing} demo stories are missing (run load_demo first)" if missing else ""
            self.stdout.write(f"Demo comments: {created} created{note}.")

    def load_thread(self, story, thread):
        placed, created = [], 0
        for data in thread:
            comment, is_new = Comment.objects.get_or_create(
                article=story,
                email=data["email"],
                body_digest=body_digest(data["body"]),
                defaults={
                    "author_name": data["name"],
                    "body": data["body"],
                    "parent": placed[data["reply_to"]] if "reply_to" in data else None,
                    "status": data.get("status", Comment.Status.APPROVED),
                    "created": story.publish_at + datetime.timedelta(minutes=data["minutes"]),
                    "reason": "Demo content.",
                },
            )
            if is_new and "flagged" in data:
                Flag.objects.create(comment=comment, reason=data["flagged"], ip_hash="demo")
            placed.append(comment)
            created += is_new
        return created
