import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# The stored search vector is PostgreSQL's business: on other databases the
# column exists but the index and the trigger are skipped.
# The configuration must match articles.models.SEARCH_CONFIG.
CREATE_TRIGGER = """
CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL
       OR NEW.headline IS DISTINCT FROM OLD.headline
       OR NEW.standfirst IS DISTINCT FROM OLD.standfirst
       OR NEW.body IS DISTINCT FROM OLD.body THEN
        NEW.search_vector :=
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.headline, '')), 'A')
            || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.standfirst, '')), 'B')
            || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.body, '')), 'C');
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

UPDATE articles_article SET search_vector = NULL;
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


def on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class AddIndexOnPostgres(migrations.AddIndex):
    """A GIN index, created only where the database has them."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_newsroom_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgres(CREATE_TRIGGER), on_postgres(DROP_TRIGGER)),
        AddIndexOnPostgres(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="article_search_gin"),
        ),
    ]
