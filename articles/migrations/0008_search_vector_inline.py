from django.db import migrations

# A search for a common word walks the newest live stories and tests each one's
# search vector. Stored the default way, PostgreSQL moves most vectors out of the
# row into the TOAST table (the row passes 2 kB), and every test costs three or
# four more page reads there. STORAGE MAIN keeps the vector in the row (the body,
# which only a story page reads, is what goes out instead). The UPDATE stores
# the existing vectors again the new way; the trigger leaves them as they are.
KEEP_INLINE = """
ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE articles_article SET search_vector = search_vector || ''::tsvector WHERE search_vector IS NOT NULL;
"""

DEFAULT_STORAGE = "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED;"


def on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_live_section_index"),
    ]

    operations = [
        migrations.RunPython(on_postgres(KEEP_INLINE), on_postgres(DEFAULT_STORAGE)),
    ]
