from django.core.management.base import BaseCommand

from pagecache.invalidation import invalidate, invalidate_site


class Command(BaseCommand):
    help = (
        "Make every stored page stale, in the page cache and at the edge (EDGE_PURGE_URLS). "
        "Run it after a deploy that changes templates or static files, or with --tag to purge some tags only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tag",
            action="append",
            default=[],
            help='Purge only the pages with this tag, e.g. "story:12"; repeatable.',
        )

    def handle(self, *args, tag, **options):
        if tag:
            invalidate(tag)
            self.stdout.write(f"Pages tagged {', '.join(tag)} are stale.")
        else:
            invalidate_site()
            self.stdout.write("Every stored page is stale.")
