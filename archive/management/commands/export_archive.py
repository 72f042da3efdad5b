from django.core.management.base import BaseCommand

from archive.jsonarchive import export


class Command(BaseCommand):
    help = "Write the whole archive (stories, people, terms, photos with their files, comments, redirects, settings)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write it; created if missing.")

    def handle(self, *args, **options):
        manifest = export(options["directory"], self.stderr)
        for label, count in manifest["counts"].items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Archive {manifest['id']} written to {options['directory']}.")
