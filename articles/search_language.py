"""Which PostgreSQL text-search configuration the site's language uses, and the trigger that applies it.

The stored search vector (``Article.search_vector``) is built by a database trigger, so every write
path refreshes it; the trigger and the queries in search.py must name the same configuration. It
follows ``LANGUAGE_CODE`` (or ``SEARCH_CONFIG`` when set): a language PostgreSQL stems gets its own
configuration, any other (Urdu, for one) gets "simple", which matches whole words without stemming.
A database that was built for another language is brought in line by ``rebuild_search_index``.

Besides its words, the vector holds the year the story was published (UTC) as a lexeme no text gives
("#2024", ``year_mark``): the search for a rarer word's older matches asks the GIN index for them one
span of years at a time (search.newest_matches), and the index then reads only that span's part of each
word's posting list instead of all of it.
"""

from django.conf import settings

# PostgreSQL's own configurations (PostgreSQL 15), by language code.
POSTGRES_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
FALLBACK = "simple"

FUNCTION = "articles_article_search_vector"
# What a story's year mark starts with: "#" is never part of a lexeme parsed from a text or a reader's query.
YEAR_MARK = "#"


def year_mark(column):
    """SQL for the vector holding ``column``'s year mark, or none when ``column`` is NULL (a draft's date)."""
    year = f"extract(year FROM {column} AT TIME ZONE 'UTC')::integer"
    return f"array_to_tsvector(array_remove(ARRAY['{YEAR_MARK}' || {year}], NULL))"


def years_query(years):
    """tsquery text for the stories published in any of ``years``, by their vectors' year marks."""
    return " | ".join(f"'{YEAR_MARK}{year}'" for year in years)


def config_for(language_code):
    """The configuration for a language code such as "es" or "pt-br"; "simple" for one PostgreSQL lacks."""
    return POSTGRES_CONFIGS.get(language_code.lower().replace("_", "-").split("-")[0], FALLBACK)


def search_config():
    """The configuration searches and the stored vector use: SEARCH_CONFIG, else the site's language's."""
    return settings.SEARCH_CONFIG or config_for(settings.LANGUAGE_CODE)


def function_sql(config):
    """The trigger function: headline (A), standfirst (B) and body (C) weighed in ``config``, and the year mark."""
    quoted = "pg_catalog." + config if config.isidentifier() else config
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL
       OR NEW.headline IS DISTINCT FROM OLD.headline
       OR NEW.standfirst IS DISTINCT FROM OLD.standfirst
       OR NEW.body IS DISTINCT FROM OLD.body
       OR NEW.publish_at IS DISTINCT FROM OLD.publish_at THEN
        NEW.search_vector :=
            setweight(to_tsvector('{quoted}', coalesce(NEW.headline, '')), 'A')
            || setweight(to_tsvector('{quoted}', coalesce(NEW.standfirst, '')), 'B')
            || setweight(to_tsvector('{quoted}', coalesce(NEW.body, '')), 'C')
            || {year_mark("NEW.publish_at")};
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def installed_config(connection):
    """The configuration the database's trigger uses now, or None without one (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [FUNCTION])
        row = cursor.fetchone()
    if row is None:
        return None
    source = row[0]
    start = source.index("to_tsvector('") + len("to_tsvector('")
    return source[start : source.index("'", start)].removeprefix("pg_catalog.")


def known(connection, config):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [config])
        return cursor.fetchone() is not None


def install(connection, config):
    """Make the trigger use ``config``; the stored vectors are rebuilt separately (``rebuild``)."""
    with connection.cursor() as cursor:
        cursor.execute(function_sql(config))


def rebuild(connection, batch=2000):
    """Build every story's vector again with the trigger's configuration, in batches; yields stories done."""
    # A NULL vector makes the trigger compute it again.
    yield from _update_in_batches(connection, "search_vector = NULL", batch)


def add_year_marks(connection, batch=2000):
    """Give every stored vector its story's year mark (vectors from before the marks), in batches."""
    # Words and date unchanged, the trigger keeps the vector it is given.
    yield from _update_in_batches(connection, f"search_vector = search_vector || {year_mark('publish_at')}", batch)


def _update_in_batches(connection, assignment, batch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
        (last,) = cursor.fetchone()
    done = 0
    for start in range(0, last + 1, batch):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE articles_article SET {assignment} WHERE id >= %s AND id < %s", [start, start + batch]
            )
            done += cursor.rowcount
        yield done
