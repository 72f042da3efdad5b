from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from articles import search_language


class Command(BaseCommand):
    help = (
        "Point the PostgreSQL search trigger at the configuration of the site's language (SEARCH_CONFIG or "
        "LANGUAGE_CODE) and build every story's search vector again. Readers can search while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="Stories per transaction (default 2000).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, batch, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: only PostgreSQL keeps a stored search vector.")
            return
        config = search_language.search_config()
        if not search_language.known(connection, config):
            raise CommandError(
                f"PostgreSQL has no text search configuration “{config}”. Set SEARCH_CONFIG to one that "
                "SELECT cfgname FROM pg_ts_config lists, or leave it empty."
            )
        before = search_language.installed_config(connection)
        search_language.install(connection, config)
        done = 0
        for done in search_language.rebuild(connection, batch=max(batch, 1)):
            self.stdout.write(f"{done} stories indexed…", ending="\r")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt with “{config}” (was “{before}”): {done} stories."))
