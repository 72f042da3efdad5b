"""Fill an empty (or not so empty) site with demo stories; see ``demo.loader``."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load demo sections, tags, authors, photos and stories. Safe to run again: only missing demo "
        "content is created, and nothing that exists is changed or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help="Also create the superuser admin / admin if missing. For local demos only; refused when DEBUG is off.",
        )

    def handle(self, *args, with_admin=False, verbosity=1, **options):
        if with_admin and not settings.DEBUG:
            raise CommandError(
                "--with-admin creates a superuser with the password “admin” and is refused when DEBUG is off. "
                "Use `manage.py createsuperuser` on a real site."
            )
        self.verbosity = verbosity
        with transaction.atomic():
            counts = DemoLoader(self.progress).load()
            if with_admin:
                self.create_admin()
        self.progress(
            "Demo content: "
            + ", ".join(f"{counts[name]} {name} created" for name in DemoLoader.COUNTED)
            + f"; {counts['stories kept']} stories already there were left as they are."
        )

    def progress(self, message):
        if self.verbosity:
            self.stdout.write(message)

    def create_admin(self):
        users = get_user_model()
        if users.objects.filter(username="admin").exists():
            self.progress("User “admin” already exists; left unchanged.")
            return
        users.objects.create_superuser("admin", "admin@example.org", "admin")
        self.stdout.write(
            self.style.WARNING(
                "Created superuser admin with password “admin”. This is for local demos only: "
                "never use it on a site anyone else can reach."
            )
        )
