from django.db import migrations

from articles import search_language


def follow_language(apps, schema_editor):
    """Built for English until now (0003): a site in another language gets its configuration here."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    config = search_language.search_config()
    if search_language.installed_config(connection) != config and search_language.known(connection, config):
        search_language.install(connection, config)
        for _done in search_language.rebuild(connection):
            pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_curation_permissions"),
    ]

    operations = [
        migrations.RunPython(follow_language, migrations.RunPython.noop),
    ]
