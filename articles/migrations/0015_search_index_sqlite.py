import django.db.models.deletion
from django.db import migrations, models
from django.db.utils import OperationalError

import articles.fts

# SQLite's full-text index of the stories (see articles/fts.py), and the triggers that keep it:
# on PostgreSQL and on a SQLite without FTS5 nothing is created. ``newsdesk_plain_text`` is the
# function articles.fts.register_functions gives every SQLite connection.
TABLE = articles.fts.TABLE
CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(headline, text, tokenize = 'porter unicode61 remove_diacritics 2')",
    *articles.fts.TRIGGERS.values(),
    articles.fts.FILL,
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create_index(apps, schema_editor):
    """Migration step: the index and its triggers, where SQLite has FTS5; elsewhere nothing."""
    if schema_editor.connection.vendor != "sqlite" or not has_fts5(schema_editor.connection):
        return
    for statement in CREATE:
        schema_editor.execute(statement, params=None)
    articles.fts.forget(schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)
        articles.fts.forget(schema_editor.connection)


def has_fts5(connection):
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.newsdesk_fts5_probe USING fts5(text)")
        except OperationalError:
            return False
        cursor.execute("DROP TABLE temp.newsdesk_fts5_probe")
    return True



class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_desk_revisions_locking"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("headline", models.TextField()),
                ("text", models.TextField()),
                ("document", articles.fts.Document(db_column="articles_article_fts")),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
        migrations.RunPython(create_index, drop_index),
    ]
