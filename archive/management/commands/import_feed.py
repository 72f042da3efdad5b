from django.core.management.base import BaseCommand, CommandError

from archive.feeds import FeedImporter
from archive.management.commands.import_wordpress import section_map
from archive.wxr import RefusedFile


class Command(BaseCommand):
    help = "Import the stories of an RSS 2.0 or Atom feed, from a file or an http(s) URL."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A feed file, or its http:// or https:// address.")
        parser.add_argument("--section-map", action="append", default=[], metavar="CATEGORY=SECTION")
        parser.add_argument("--default-section", default="news")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; store nothing.")

    def handle(self, *args, **options):
        try:
            importer = FeedImporter(
                options["source"],
                dry_run=options["dry_run"],
                stderr=self.stderr,
                section_map=section_map(options["section_map"]),
                default_section=options["default_section"],
            )
            report = importer.run()
        except RefusedFile as error:
            raise CommandError(f"{options['source']}: {error} Nothing was imported.") from error
        for line in report.lines(dry_run=options["dry_run"]):
            self.stdout.write(line)
