"""Full-text search on SQLite: an FTS5 index of the stories, kept by triggers, ranked by bm25.

The index (migration 0015_search_index_sqlite) holds each story's headline and its text (standfirst
and body as plain text), stemmed by the porter tokenizer over unicode61; the
triggers on articles_article keep it in step with every insert, update and
delete, as the PostgreSQL trigger keeps the search vector. The body is indexed
as plain text through ``newsdesk_plain_text``, a function every SQLite
connection of the project gets (``register_functions``): markup is no word to
search for. A SQLite built without FTS5 gets no index, and search.py falls
back to matching substrings (``available``).
"""

import re

from django.db import connections, models
from django.db.models.expressions import RawSQL

from .metadata import plain_text

TABLE = "articles_article_fts"
# bm25 weights of the columns: a word in the headline counts as much as five in the text, as
# PostgreSQL's ranking weighs the headline (A) against the body (C).
WEIGHTS = (5.0, 1.0)
# How many words a snippet holds, as ts_headline's max_words on PostgreSQL.
SNIPPET_WORDS = 25


_TEXT = "coalesce(new.standfirst, '') || ' ' || newsdesk_plain_text(new.body)"
TRIGGERS = {
    f"{TABLE}_insert": f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {TABLE}(rowid, headline, text) VALUES (new.id, new.headline, {_TEXT});
    END""",
    f"{TABLE}_update": f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF headline, standfirst, body ON articles_article
    BEGIN
        UPDATE {TABLE} SET headline = new.headline, text = {_TEXT} WHERE rowid = new.id;
    END""",
    f"{TABLE}_delete": f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON articles_article BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
    END""",
}
FILL = f"""INSERT INTO {TABLE}(rowid, headline, text)
    SELECT id, headline, coalesce(standfirst, '') || ' ' || newsdesk_plain_text(body) FROM articles_article"""


def restore_triggers(sender, using, **kwargs):
    """After migrating (post_migrate): SQLite alters a table by building a new one, which drops the old
    one's triggers, so a migration that adds a column to the stories leaves the index unkept. Put back
    any trigger that is missing, and refill the index, which may have missed writes meanwhile."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    forget(connection)
    if not available(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
        missing = set(TRIGGERS) - {row[0] for row in cursor.fetchall()}
        if not missing:
            return
        for name in sorted(missing):
            cursor.execute(TRIGGERS[name])
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(FILL)


def register_functions(sender, connection, **kwargs):
    """Give a new SQLite connection the function the index's triggers call (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("newsdesk_plain_text", 1, _plain_text, deterministic=True)


def _plain_text(markup):
    return plain_text(markup or "")


def available(connection):
    """Whether this SQLite database has the index (it has not when its SQLite lacked FTS5 at migration).

    Asked once per database a connection opens: only a migration changes the answer (and ``forget``s it).
    """
    name = connection.settings_dict["NAME"]
    known = getattr(connection, "_newsdesk_fts", None)
    if known is None or known[0] != name:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
            known = connection._newsdesk_fts = (name, cursor.fetchone() is not None)
    return known[1]


def forget(connection):
    """Ask again next time whether the index is there (the migration that creates or drops it calls this)."""
    if hasattr(connection, "_newsdesk_fts"):
        del connection._newsdesk_fts


class Document(models.TextField):
    """The FTS5 table's hidden column of its own name: ``document__match`` searches every column."""


@Document.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


def matching_ids(query):
    """SQL for the ids of the stories matching ``query``: read once, then tested row by row."""
    return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (query,))


def indexed(stories, ids, query):
    """The stories with these ids, joined to their rows of the index for ``query``, to rank or highlight them.

    FTS5 reads a word's matches in rowid order: bounding the rowids to those
    asked for spares it the matches in the rest of the archive (for a common
    word, most of it; stories are numbered as they are written, so the newest
    matches lie close together). The ids are then tested on the index's rowid,
    before a match is joined to its story: tested on the story's id, each of
    the matches in the bounds (thousands, for a search by an author or in a
    section, whose matches lie far apart) costs a read of its story first.
    The ``+`` keeps SQLite from looking each id up in FTS5 instead, which
    costs a read of the word's matches per id.
    """
    if not ids:
        return stories.none()
    listed = ", ".join(["%s"] * len(ids))
    within = RawSQL(
        f"{TABLE}.rowid BETWEEN %s AND %s AND +{TABLE}.rowid IN ({listed})",
        (min(ids), max(ids), *ids),
        output_field=models.BooleanField(),
    )
    return stories.filter(within, search_entry__document__match=query)


def ranked(stories, query, window):
    """The stories with ids in ``window`` (SQL) best first, by bm25 (lower is better)."""
    ids = list(stories.filter(pk__in=window).values_list("pk", flat=True))
    bm25 = RawSQL(f"bm25({TABLE}, {', '.join(map(str, WEIGHTS))})", (), output_field=models.FloatField())
    return indexed(stories, ids, query).annotate(rank=bm25).order_by("rank", "-publish_at", "-id")


def marked_headline(start, stop):
    return RawSQL(f"highlight({TABLE}, 0, %s, %s)", (start, stop), output_field=models.TextField())


def snippet(start, stop):
    return RawSQL(f"snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_WORDS})", (start, stop), output_field=models.TextField())


_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def query(text):
    """The FTS5 query for what a reader typed, read as PostgreSQL's websearch_to_tsquery reads it.

    Words must all be there; "quoted words" make a phrase; a leading minus
    leaves a word or phrase out; ``or`` between words accepts either. Every
    word goes to FTS5 as a quoted string, so nothing a reader types is FTS5
    syntax. None when nothing is left to look for (only excluded words, or
    no words at all).
    """
    groups, group = [], {"with": [], "without": []}
    for match in _TERM.finditer(text):
        negated, phrase, word_negated, word = match.groups()
        if word is not None and word.lower() == "or":
            groups.append(group)
            group = {"with": [], "without": []}
            continue
        words = re.findall(r"\w+", phrase if word is None else word)
        if words:
            group["without" if (negated or word_negated) else "with"].append('"' + " ".join(words) + '"')
    groups.append(group)
    alternatives = [
        " ".join(group["with"]) + "".join(f" NOT {term}" for term in group["without"])
        for group in groups
        if group["with"]
    ]
    return " OR ".join(f"({alternative})" for alternative in alternatives) or None
