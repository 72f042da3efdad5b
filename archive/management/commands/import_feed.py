from archive.feeds import FeedImporter
from archive.management.story_import import StoryImportCommand


class Command(StoryImportCommand):
    help = "Import the stories of an RSS 2.0 or Atom feed, from a file or an http(s) URL."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A feed file, or its http:// or https:// address.")
        super().add_arguments(parser)

    def importer(self, options, **common):
        return FeedImporter(options["source"], **common)
