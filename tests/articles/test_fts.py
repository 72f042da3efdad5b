"""SQLite's full-text index: the reader's query, the triggers, ranking, snippets and the fallback without FTS5.

The searches common to both databases (stemming, phrases, filters, the
ranking window) are in test_search.py.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import fts, search
from articles.models import Article, SearchEntry

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
URL = reverse("articles:search")


def found(text, **kwargs):
    return list(Article.objects.search(text, **kwargs).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("rocket", '("rocket")'),
        ("Rocket launch", '("Rocket" "launch")'),
        ('"central bank" rates', '("central bank" "rates")'),
        ("budget or tariffs -capital", '("budget") OR ("tariffs" NOT "capital")'),
        ('-"central bank" rates', '("rates" NOT "central bank")'),
        ("U.S. election", '("U S" "election")'),
        ('NEAR(a b) col:umn * AND "unbalanced', '("NEAR a" "b" "col umn" "AND" "unbalanced")'),
        ("-capital", None),
        ("!!! ::", None),
        ("or", None),
    ],
)
def test_reader_query_becomes_quoted_fts5_terms(text, query):
    assert fts.query(text) == query


def test_the_index_is_there_and_used(db):
    assert search.engine(connection) == "fts5"


def test_triggers_follow_insert_update_and_delete(make_article):
    story = make_article(headline="Original words", body="<p>A <strong>quiet</strong> harbour.</p>")
    assert SearchEntry.objects.get(article=story).text.endswith("A quiet harbour.")
    assert found("harbour") == [story.pk]
    assert found("strong") == []  # markup is not text
    story.headline = "Penguins parade"
    story.save()
    assert found("penguin") == [story.pk]
    assert found("original") == []
    Article.objects.filter(pk=story.pk).update(body="<p>Albatross sighted.</p>")
    assert found("albatross") == [story.pk]
    assert found("harbour") == []
    (bulk,) = Article.objects.bulk_create([Article(headline="Narwhal", slug="narwhal", section=story.section)])
    assert found("narwhal") == [bulk.pk]
    story.delete()
    assert not SearchEntry.objects.filter(article_id=story.pk).exists()
    assert SearchEntry.objects.count() == Article.objects.count()


def test_a_migration_that_rebuilds_the_stories_table_gets_the_triggers_back(make_article):
    """SQLite alters a table by rebuilding it, which drops its triggers: after every migrate they are put back."""
    story = make_article(headline="Harbour bridge reopens")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {fts.TABLE}_update")
    Article.objects.filter(pk=story.pk).update(headline="Ferry strike ends")
    assert not SearchEntry.objects.filter(document__match="ferry").exists()
    fts.restore_triggers(sender=None, using="default")
    assert list(SearchEntry.objects.filter(document__match="ferry").values_list("pk", flat=True)) == [story.pk]
    Article.objects.filter(pk=story.pk).update(headline="Tunnel opens")
    assert SearchEntry.objects.filter(document__match="tunnel").exists()


def test_ranking_weighs_headline_frequency_and_length(make_article):
    once_in_long_body = make_article(
        headline="Harbour news", body="<p>A glacier.</p>" + "<p>Other things happened.</p>" * 30
    )
    twice_in_body = make_article(headline="Weather report", body="<p>The glacier, the glacier.</p>")
    in_headline = make_article(headline="Glacier retreats")
    assert found("glacier") == [in_headline.pk, twice_in_body.pk, once_in_long_body.pk]


def test_stemming_and_accents(make_article):
    cafe = make_article(headline="Café owners protest", body="<p>Running costs soared.</p>")
    assert found("cafe") == [cafe.pk]
    assert found("ran") == []  # porter stems, it does not know irregular forms
    assert found("runs") == [cafe.pk]
    assert found("protesting owner") == [cafe.pk]


def test_results_page_highlights_headline_and_snippet(client, make_article):
    story = make_article(
        headline="Launches resume at the spaceport",
        standfirst="After a pause.",
        body="<p>" + "Filler words here. " * 40 + "</p><p>Three rockets launched on Monday.</p>",
    )
    response = client.get(URL, {"q": "launch"})
    html = response.content.decode()
    assert [result.pk for result in response.context["page_obj"].object_list] == [story.pk]
    assert "<mark>Launches</mark> resume at the spaceport" in html
    assert "Three rockets <mark>launched</mark> on Monday." in html
    assert "After a pause." not in html.split('class="search-result')[1]  # the snippet is around the match


def test_snippet_without_a_match_in_the_text_starts_with_the_standfirst(client, make_article):
    make_article(headline="Comet two", standfirst="Sky watch tonight.", body="<p>Nothing else.</p>")
    assert "Sky watch tonight. Nothing else." in client.get(URL, {"q": "comet"}).content.decode()


@pytest.mark.parametrize(("order", "queries"), [("relevance", 7), ("date", 6)])
def test_search_page_queries_do_not_grow(client, make_article, django_assert_num_queries, order, queries):
    for n in range(5):
        make_article(headline=f"Volcano erupts {n}")
    client.get(URL, {"q": "volcano", "order": order})  # the session's first search asks whether the index exists
    # Where the newest stories end (the search looks among them first); by relevance, the ids of the
    # newest matches; the page of results with one more, their bylines, their highlights; the sections
    # for the navigation and for the form's section filter.
    with django_assert_num_queries(queries):
        response = client.get(URL, {"q": "volcano", "order": order})
    assert len(response.context["page_obj"].object_list) == 5


def test_without_the_index_search_falls_back_to_substrings(client, make_article):
    story = make_article(headline="Rocket launch delayed", body="<p>The rocketry team waits.</p>")
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {fts.TABLE} RENAME TO newsdesk_fts_away")
    fts.forget(connection)
    try:
        assert search.engine(connection) == "substring"
        response = client.get(URL, {"q": "rocket"})
        assert [result.pk for result in response.context["page_obj"].object_list] == [story.pk]
        html = response.content.decode()
        assert "<mark>Rocket</mark> launch delayed" in html
        assert "The <mark>rocket</mark>ry team waits." in html
        assert "newest matches are ranked" not in html
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE newsdesk_fts_away RENAME TO {fts.TABLE}")
        fts.forget(connection)
    assert search.engine(connection) == "fts5"


def test_analyze_database_gives_sqlite_its_statistics(make_article):
    make_article()
    call_command("analyze_database", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
        assert cursor.fetchone()[0] > 0


def vm_steps(get):
    """How many SQLite virtual-machine instructions ``get()`` runs: the work of its queries, whatever the clock."""
    steps = 0

    def count():
        nonlocal steps
        steps += 1

    connection.ensure_connection()
    connection.connection.set_progress_handler(count, 1)
    try:
        get()
    finally:
        connection.connection.set_progress_handler(None, 1)
    return steps


def test_a_search_by_an_author_reads_the_authors_stories_not_every_match(client, make_article, make_author, section):
    """The window ends with the author's stories, and the page looks its ids up in the index's rowids.

    Both once read every other match of the word too: the older part of the window
    (``search.newest_matches``) each match's story, to compare it with a walk boundary
    that was not there, and the ranking each match's story, to test its id.
    """
    author, now = make_author("Ann Writer"), timezone.now()
    make_article(headline="Budget talks begin", authors=[author])
    others = Article.objects.bulk_create(
        Article(
            headline=f"Budget {n}", slug=f"budget-{n}", section=section, status=Article.Status.PUBLISHED, publish_at=now
        )
        for n in range(400)
    )
    make_article(headline="Budget passes", authors=[author])
    client.get(URL, {"q": "budget", "author": author.slug})

    def page():
        response = client.get(URL, {"q": "budget", "author": author.slug})
        assert len(response.context["page_obj"].object_list) == 2

    among_400 = vm_steps(page)
    Article.objects.filter(pk__in=[story.pk for story in others[200:]]).delete()
    among_200 = vm_steps(page)
    # Each match still costs the instructions of listing it and of skipping it in the index's scans
    # (about 31 on SQLite 3.40); reading its story as well, once, made it 43. The instructions are the
    # lesser part of that read: at 100,000 stories it is the story's row, its body, that costs.
    assert (among_400 - among_200) / 200 < 37, (among_200, among_400)
