from importlib import import_module

from django.db import migrations

# SQLite cannot add most columns in place: 0017 rebuilt articles_article (a new table renamed over
# the old one), and the old table's triggers went with it, so the search index stopped following
# the stories. The index of 0015 is built again here, triggers and rows, from the stories as they are.
index = import_module("articles.migrations.0015_search_index_sqlite")


def rebuild(apps, schema_editor):
    index.drop_index(apps, schema_editor)
    index.create_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_verbose_names"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
