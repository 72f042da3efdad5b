from archive.management.story_import import StoryImportCommand
from archive.wordpress import WordPressImporter


class Command(StoryImportCommand):
    help = "Import a WordPress export file (WXR 1.0, 1.1 or 1.2): posts, authors, terms, photos and comments."
    source_argument = "export"

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file written by WordPress's Tools → Export.")
        parser.add_argument("--media-dir", help="A copy of wp-content/uploads, where the attachments' files are.")
        parser.add_argument(
            "--defer-renditions",
            action="store_true",
            help="Store photos without their resized copies, for large imports; run build_renditions afterwards.",
        )
        super().add_arguments(parser)

    def importer(self, options, **common):
        return WordPressImporter(
            options["export"], media_dir=options["media_dir"], defer_renditions=options["defer_renditions"], **common
        )

    def handle(self, *args, **options):
        report = self.run_import(options)
        if options["defer_renditions"] and report.counts["photos"]["created"]:
            self.stdout.write("Photos were stored without renditions: run manage.py build_renditions now.")
