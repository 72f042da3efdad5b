from django.core.management.base import BaseCommand, CommandError

from archive.jsonarchive import ArchiveImporter, RefusedArchive


class Command(BaseCommand):
    help = "Import an archive written by export_archive into an empty site (or resume such an import)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; store nothing.")

    def handle(self, *args, **options):
        try:
            report = ArchiveImporter(options["directory"], dry_run=options["dry_run"], stderr=self.stderr).run()
        except RefusedArchive as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        for line in report.lines(dry_run=options["dry_run"]):
            self.stdout.write(line)
