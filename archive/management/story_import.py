from django.core.management.base import BaseCommand, CommandError

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


class StoryImportCommand(BaseCommand):
    """What the WordPress and feed import commands share: section options, dry run, refusal and the report."""

    source_argument = "source"

    def add_arguments(self, parser):
        parser.add_argument(
            "--section-map",
            action="append",
            default=[],
            metavar="CATEGORY=SECTION",
            help="Put stories of this category (slug) in this section (slug). Repeatable.",
        )
        parser.add_argument(
            "--default-section", default="news", help="The section of stories without a category (default: news)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; store nothing.")

    def importer(self, options, **common):
        raise NotImplementedError

    def handle(self, *args, **options):
        self.run_import(options)

    def run_import(self, options):
        """Run the import and print its report; returns the report."""
        source = options[self.source_argument]
        try:
            importer = self.importer(
                options,
                dry_run=options["dry_run"],
                stderr=self.stderr,
                section_map=section_map(options["section_map"]),
                default_section=options["default_section"],
            )
            report = importer.run()
        except RefusedFile as error:
            raise CommandError(f"{source}: {error} Nothing was imported.") from error
        for line in report.lines(dry_run=options["dry_run"]):
            self.stdout.write(line)
        return report
