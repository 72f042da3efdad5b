from django.core.management.base import BaseCommand, CommandError

from archive.wordpress import WordPressImporter
from archive.wxr import RefusedFile


def section_map(pairs):
    """``wp-category=section-slug`` options as a dict."""
    mapping = {}
    for pair in pairs:
        category, sep, section = pair.partition("=")
        if not sep or not category.strip() or not section.strip():
            raise CommandError(f"--section-map takes CATEGORY=SECTION, not “{pair}”.")
        mapping[category.strip()] = section.strip()
    return mapping


class Command(BaseCommand):
    help = "Import a WordPress export file (WXR 1.0, 1.1 or 1.2): posts, authors, terms, photos and comments."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file written by WordPress's Tools → Export.")
        parser.add_argument("--media-dir", help="A copy of wp-content/uploads, where the attachments' files are.")
        parser.add_argument(
            "--section-map",
            action="append",
            default=[],
            metavar="CATEGORY=SECTION",
            help="Put posts of this WordPress category (slug) in this section (slug). Repeatable.",
        )
        parser.add_argument(
            "--default-section", default="news", help="The section of posts without a category (default: news)."
        )
        parser.add_argument(
            "--defer-renditions",
            action="store_true",
            help="Store photos without their resized copies, for large imports; run build_renditions afterwards.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; store nothing.")

    def handle(self, *args, **options):
        try:
            importer = WordPressImporter(
                options["export"],
                media_dir=options["media_dir"],
                dry_run=options["dry_run"],
                stderr=self.stderr,
                section_map=section_map(options["section_map"]),
                default_section=options["default_section"],
                defer_renditions=options["defer_renditions"],
            )
            report = importer.run()
        except RefusedFile as error:
            raise CommandError(f"{options['export']}: {error} Nothing was imported.") from error
        for line in report.lines(dry_run=options["dry_run"]):
            self.stdout.write(line)
        if options["defer_renditions"] and report.counts["photos"]["created"]:
            self.stdout.write("Photos were stored without renditions: run manage.py build_renditions now.")
