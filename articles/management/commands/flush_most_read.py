from django.core.management.base import BaseCommand

from articles.popularity import flush_reads


class Command(BaseCommand):
    help = "Copy the cached read counters into the database for “Most read”. Run it every few minutes (cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=3, help="How many recent hours of counters to store (default 3)."
        )

    def handle(self, *args, hours, **options):
        written = flush_reads(hours=max(hours, 1))
        self.stdout.write(f"Stored {written} story-hour read counts.")
