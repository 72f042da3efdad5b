from django.db import migrations

from articles import search_language


def add_year_marks(apps, schema_editor):
    """The trigger marks each vector with its story's year from now on (same configuration); the stored vectors
    get their marks here."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    search_language.install(connection, search_language.installed_config(connection) or search_language.search_config())
    for _done in search_language.add_year_marks(connection, batch=20_000):
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_live_story_dates_by_id"),
    ]

    operations = [
        migrations.RunPython(add_year_marks, migrations.RunPython.noop),
    ]
