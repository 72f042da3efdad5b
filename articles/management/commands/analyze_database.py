from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = (
        "Refresh the database's planner statistics (ANALYZE). SQLite gathers none by itself: run this after "
        "loading an archive and now and then as it grows (cron), or searches and long lists sort every story."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        with connections[database].cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Analyzed the {connections[database].vendor} database {database!r}.")
