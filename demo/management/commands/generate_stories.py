"""Fill the database with many realistic-looking stories, fast; see ``demo.generator``."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from demo.generator import generate


class Command(BaseCommand):
    help = "Generate N published stories with sections, authors, tags and bylines, spread over the last years."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=10_000, help="How many stories to add.")
        parser.add_argument("--years", type=int, default=15, help="Spread publication dates over this many years.")
        parser.add_argument("--batch", type=int, default=5_000, help="Rows per write.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data.")

    def handle(self, *args, stories, years, batch, seed, verbosity=1, **options):
        if stories < 1 or batch < 1 or years < 1:
            raise CommandError("--stories, --batch and --years must be positive numbers.")
        started = time.monotonic()
        generate(stories, years, batch, seed, sys.stderr if verbosity else None)
        if verbosity:
            self.stdout.write(f"Generated {stories} stories in {time.monotonic() - started:.1f} s.")
