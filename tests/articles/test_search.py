import datetime
import json

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import search_language
from articles.models import Article
from articles.search import newest_matches, published_in, year_spans
from articles.search_language import search_config
from tests.query_plans import analyzed_plan, plan_nodes, rows_read

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
# Full-text search with ranking and stemming: PostgreSQL's, or SQLite's FTS5 index (tests/articles/test_fts.py).
full_text = pytest.mark.skipif(connection.vendor not in ("postgresql", "sqlite"), reason="full-text search")
URL = reverse("articles:search")


def results(response):
    return [story.pk for story in response.context["page_obj"].object_list]


@pytest.fixture
def archive(make_article, make_section, make_author):
    world, science = make_section("World"), make_section("Science")
    ada = make_author("Ada Lovelace")
    now = timezone.now()
    return {
        "world": world,
        "science": science,
        "ada": ada,
        "headline": make_article(
            headline="Rocket launch delayed by storm",
            standfirst="Engineers wait for the wind to drop.",
            section=science,
            authors=[ada],
            publish_at=now - datetime.timedelta(days=3),
        ),
        "body": make_article(
            headline="Weather report",
            standfirst="Sunny spells.",
            body="<p>A rocket was seen over the harbour.</p>",
            section=world,
            publish_at=now - datetime.timedelta(days=1),
        ),
        "draft": make_article(headline="Secret rocket plans", status=Article.Status.DRAFT, section=science),
        "other": make_article(headline="Markets rally", section=world, publish_at=now - datetime.timedelta(days=2)),
    }


def test_search_box_in_masthead(client, db):
    html = client.get(reverse("articles:home")).content.decode()
    assert f'action="{URL}"' in html
    assert 'name="q"' in html


def test_finds_live_stories_only_and_highlights(client, archive):
    response = client.get(URL, {"q": "rocket"})
    assert response.status_code == 200
    found = results(response)
    assert set(found) == {archive["headline"].pk, archive["body"].pk}
    html = response.content.decode()
    assert "Secret rocket plans" not in html
    assert "<mark>Rocket</mark> launch delayed by storm" in html
    assert "<mark>rocket</mark>" in html
    assert 'content="noindex"' in html


def test_filters_by_section_author_and_dates(client, archive):
    assert results(client.get(URL, {"q": "rocket", "section": "science"})) == [archive["headline"].pk]
    assert results(client.get(URL, {"q": "rocket", "author": archive["ada"].slug})) == [archive["headline"].pk]
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=2)).isoformat()
    assert results(client.get(URL, {"q": "rocket", "since": since})) == [archive["body"].pk]
    until = (today - datetime.timedelta(days=2)).isoformat()
    assert results(client.get(URL, {"q": "rocket", "until": until})) == [archive["headline"].pk]


def test_order_by_date_puts_newest_first(client, archive):
    assert results(client.get(URL, {"q": "rocket", "order": "date"})) == [archive["body"].pk, archive["headline"].pk]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "rocket", "section": "no-such-section"},
        {"q": "rocket", "author": "<script>"},
        {"q": "rocket", "since": "2024-13-45"},
        {"q": "rocket", "until": "99999-01-01"},
        {"q": "rocket", "since": "9999-12-31", "until": "0001-01-01"},
        {"q": "rocket", "order": "drop table"},
    ],
)
def test_bad_filters_are_reported_and_ignored(client, archive, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="field-error"' in response.content.decode()
    assert set(results(response)) == {archive["headline"].pk, archive["body"].pk}


@pytest.mark.parametrize("page", ["abc", "-3", "0", "1e3"])
def test_bad_page_numbers_give_the_first_page(client, archive, page):
    response = client.get(URL, {"q": "rocket", "page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert set(results(response)) == {archive["headline"].pk, archive["body"].pk}


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "-", "!!! & | ::", "rocket\x00", "a" * 5000, "' OR 1=1 --", "(((", "<b>rocket</b>", "the"],
)
def test_odd_queries_give_a_friendly_page(client, archive, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<b>rocket</b>" not in html
    assert "Search" in html


def test_overlong_query_says_so(client, archive):
    response = client.get(URL, {"q": "rocket " * 40})
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "Please shorten your search to 200 characters or fewer." in response.content.decode()


def test_empty_query_explains(client, archive):
    for params in ({}, {"q": "   "}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "Type one or more words" in response.content.decode()


def test_no_match_says_so(client, archive):
    response = client.get(URL, {"q": "zebra"})
    assert "Nothing matched “zebra”" in response.content.decode()


def test_paginates_without_counting(client, make_article, settings):
    settings.PAGE_SIZE = 3
    stories = [make_article(headline=f"Comet sighting {n}") for n in range(7)]
    newest_first = sorted(stories, key=lambda story: story.publish_at, reverse=True)
    first = client.get(URL, {"q": "comet", "order": "date"})
    assert results(first) == [story.pk for story in newest_first[:3]]
    html = first.content.decode()
    assert 'rel="next" href="?q=comet&amp;order=date&amp;page=2"' in html
    assert 'rel="prev"' not in html
    last = client.get(URL, {"q": "comet", "order": "date", "page": 3})
    assert results(last) == [newest_first[6].pk]
    assert 'rel="next"' not in last.content.decode()
    assert 'rel="prev"' in last.content.decode()
    for page in (40, 99999999999999999999999):
        beyond = client.get(URL, {"q": "comet", "page": page})
        assert beyond.status_code == 200
        assert "No more results." in beyond.content.decode()


def test_search_query_count_does_not_grow(client, make_article, make_author, make_photo, settings):
    settings.PAGE_SIZE = 50
    photo = make_photo()

    def count_queries(n):
        for _ in range(n):
            make_article(headline="Volcano erupts", authors=[make_author(), make_author()], lead_photo=photo)
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"q": "volcano", "section": "world", "author": "nobody"})
        assert len(results(response)) >= n
        return len(captured)

    # for_listing() also prefetches the photos' renditions; SQLite reads the ids of the ranking window first;
    # the breaking-news banner is read once per page generation.
    assert count_queries(2) == count_queries(10) <= 10


@full_text
def test_headline_outranks_body(client, make_article):
    in_body = make_article(headline="Harbour news", body="<p>Talk of a glacier.</p>")
    in_headline = make_article(headline="Glacier retreats")
    assert results(client.get(URL, {"q": "glacier"})) == [in_headline.pk, in_body.pk]


@full_text
def test_stemming_and_websearch_syntax(client, make_article):
    launches = make_article(headline="Launches resume")
    launched_cat = make_article(headline="Cat launched into orbit")
    assert set(results(client.get(URL, {"q": "launching"}))) == {launches.pk, launched_cat.pk}
    assert results(client.get(URL, {"q": "launch -cat"})) == [launches.pk]
    assert results(client.get(URL, {"q": '"cat launched"'})) == [launched_cat.pk]


@full_text
def test_vector_follows_every_write_path(make_article):
    story = make_article(headline="Original words")
    story.headline = "Penguins parade"
    story.save()
    assert Article.objects.search("penguin").filter(pk=story.pk).exists()
    Article.objects.filter(pk=story.pk).update(standfirst="Albatross sighted")
    assert Article.objects.search("albatross").filter(pk=story.pk).exists()
    assert not Article.objects.search("original").filter(pk=story.pk).exists()
    (bulk,) = Article.objects.bulk_create([Article(headline="Narwhal", slug="narwhal", section=story.section)])
    assert Article.objects.search("narwhal").filter(pk=bulk.pk).exists()


@on_postgres
def test_search_uses_gin_index(make_article):
    make_article(headline="Indexed")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = Article.objects.search("indexed", order="date").explain()
        cursor.execute("RESET enable_seqscan")
    assert "article_search_gin" in plan


def test_stories_load_without_their_search_vector(make_article):
    make_article()
    assert "search_vector" not in str(Article.objects.for_listing().query)
    assert "search_vector" not in str(Article.objects.for_page().query)
    assert "search_vector" in Article.objects.first().get_deferred_fields()


def test_author_filter_takes_a_name_or_a_slug_in_a_text_box(client, archive):
    for author in (archive["ada"].slug, "ada lovelace", " Ada Lovelace "):
        response = client.get(URL, {"q": "rocket", "author": author})
        assert results(response) == [archive["headline"].pk], author
    html = client.get(URL, {"q": "rocket"}).content.decode()
    assert '<input type="text" name="author"' in html
    assert "<option" not in html.split('name="author"')[1].split("</p>")[0]


@full_text
def test_ranking_window_holds_the_newest_matches_ranked_by_relevance(client, make_article, settings, monkeypatch):
    """The window is the newest matches, found partly by the walk and partly beyond it; relevance orders it."""
    settings.SEARCH_RANK_WINDOW = 3
    monkeypatch.setattr("articles.search.SEARCH_WALK_PER_MATCH", 1)  # the walk covers the newest 3 stories
    now = timezone.now()

    def story(hours_ago, headline, body="<p>Nothing to see.</p>"):
        return make_article(headline=headline, body=body, publish_at=now - datetime.timedelta(hours=hours_ago))

    walked_in_body = story(1, "Harbour news", "<p>A glacier was seen.</p>")
    story(2, "Markets rally")
    story(3, "Trains late")
    beyond_in_headline = story(4, "Glacier retreats")
    beyond_in_body = story(5, "Weather report", "<p>The glacier was back.</p>")  # as long: as relevant
    too_old = story(6, "Glacier museum opens")
    response = client.get(URL, {"q": "glacier"})
    assert results(response) == [beyond_in_headline.pk, walked_in_body.pk, beyond_in_body.pk]
    assert too_old.pk not in results(response)
    html = response.content.decode()
    assert "Only the 3 newest matches are ranked by relevance." in html
    assert 'href="?q=glacier&amp;order=date&amp;page=1"' in html  # 3 newest of 20 a page: older ones on page 1
    by_date = client.get(URL, {"q": "glacier", "order": "date"})
    assert results(by_date) == [walked_in_body.pk, beyond_in_headline.pk, beyond_in_body.pk, too_old.pk]
    assert "newest matches are ranked" not in by_date.content.decode()


@full_text
def test_ranking_window_applies_the_filters(client, archive, settings, monkeypatch):
    settings.SEARCH_RANK_WINDOW = 1
    monkeypatch.setattr("articles.search.SEARCH_WALK_PER_MATCH", 1)
    assert results(client.get(URL, {"q": "rocket"})) == [archive["body"].pk]
    assert results(client.get(URL, {"q": "rocket", "section": "science"})) == [archive["headline"].pk]
    assert results(client.get(URL, {"q": "rocket", "author": archive["ada"].slug})) == [archive["headline"].pk]
    until = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert results(client.get(URL, {"q": "rocket", "until": until})) == [archive["headline"].pk]


@on_postgres
def test_snippet_comes_from_the_standfirst_and_the_opening_of_the_body(client, make_article, settings):
    settings.PAGE_SIZE = 1
    early = make_article(headline="Comet one", body="<p>The comet came.</p>" + "<p>Filler words.</p>" * 200)
    late = make_article(
        headline="Comet two", standfirst="Sky watch.", body="<p>Filler words.</p>" * 200 + "<p>A late comet.</p>"
    )
    pages = [client.get(URL, {"q": "comet", "order": "date", "page": n}) for n in (1, 2)]
    assert [results(page) for page in pages] == [[early.pk], [late.pk]]
    assert "<mark>comet</mark> came. Filler words." in pages[0].content.decode()
    second = pages[1].content.decode()
    assert "<mark>Comet</mark> two" in second
    assert "Sky watch. Filler words." in second  # no match in the opening: the standfirst leads
    assert "late <mark>comet</mark>" not in second  # past SNIPPET_SOURCE_CHARS


@on_postgres
def test_search_vectors_stay_in_the_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'articles_article'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)


@full_text
def test_newest_first_pages_reach_past_the_walk(client, make_article, settings, monkeypatch):
    settings.PAGE_SIZE = 2
    monkeypatch.setattr("articles.search.SEARCH_WALK_PER_MATCH", 1)  # page 1 walks the newest 3 stories
    stories = [make_article(headline=f"Comet {n}" if n % 3 == 0 else f"Market {n}") for n in range(12)]
    comets = [story.pk for story in stories if story.headline.startswith("Comet")]  # newest first
    first = client.get(URL, {"q": "comet", "order": "date"})
    assert results(first) == comets[:2]
    assert 'rel="next"' in first.content.decode()
    second = client.get(URL, {"q": "comet", "order": "date", "page": 2})
    assert results(second) == comets[2:]
    assert 'rel="next"' not in second.content.decode()


@full_text
def test_last_ranked_page_links_to_the_page_of_older_matches_by_date(client, make_article, settings):
    settings.SEARCH_RANK_WINDOW, settings.PAGE_SIZE = 4, 2
    for n in range(7):
        make_article(headline=f"Tsunami warning {n}")
    last = client.get(URL, {"q": "tsunami", "page": 2})
    assert len(results(last)) == 2
    assert 'rel="next"' not in last.content.decode()
    assert 'href="?q=tsunami&amp;page=3&amp;order=date"' in last.content.decode()
    older = client.get(URL, {"q": "tsunami", "page": 3, "order": "date"})
    assert [story.headline for story in older.context["page_obj"].object_list] == [
        "Tsunami warning 4",
        "Tsunami warning 5",
    ]
    assert "newest matches are ranked" not in client.get(URL, {"q": "tsunami"}).content.decode()


def window_plan(text, found, count, years=None):
    """The plan of the search window's SQL for ``text``, once its ids are checked against the plain query's
    newest ``count`` matches (``found`` of them)."""
    stories = Article.objects.published()
    query = SearchQuery(text, search_type="websearch", config=search_config())
    window = newest_matches(stories, Q(search_vector=query), count, years)
    newest = list(stories.filter(search_vector=query).latest_first().values_list("pk", flat=True)[:count])
    sql, params = Article.objects.filter(pk__in=window).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(newest)
    assert len(newest) == found
    return analyzed_plan(sql, params, ["articles_article"])


@on_postgres
@pytest.mark.parametrize(("text", "found"), [("budget", 10), ("glacier", 3), ("tide", 6)])
def test_ranking_window_reads_the_newest_stories_only_whatever_the_size_of_the_archive(
    make_section, make_archive, settings, text, found
):
    """A word in every third story is found among the newest 500 stories, rarer ones there and by the index.

    Where the walk of the newest stories ends is a value, not a subquery (once three InitPlans,
    each walking the newest 500 stories again); the matches are those of the plain query, ties
    at the walk's end included ("tide": three in the walk, two published at the instant it ends
    but after it, one older).
    """
    settings.SEARCH_RANK_WINDOW = 10  # the walk: the newest 500 stories
    section, now = make_section(), timezone.now()
    rare, tides = {1200, 2500, 3900}, {495, 498, 501, 504, 507, 1500}

    def headline(n):
        if n in rare or n in tides:
            return "Glacier survey" if n in rare else "Tide tables"
        return "Budget talks" if n % 3 == 0 else "Harbour report"

    # Stories 490-510 share an instant: the walk ends among them (at 501, the ids breaking the tie).
    make_archive(section, 4000, lambda n: now - datetime.timedelta(minutes=500 if 490 <= n <= 510 else n + 1), headline)
    plan = window_plan(text, found, settings.SEARCH_RANK_WINDOW)
    nodes = list(plan_nodes(plan))
    assert not [node for node in nodes if "Subplan Name" in node], json.dumps(plan, indent=1)
    # At most the newest 500 (and the ties at the bound), the rare word's older matches and the probes of
    # the ids found: not the 4,000 stories, nor the common word's 1,333 matches.
    assert rows_read(plan, {"articles_article"}) < 530, json.dumps(plan, indent=1)
    (older,) = [node for node in nodes if node.get("Alias") == "older0"]
    assert (older["Actual Loops"] > 0) == (text != "budget")


@on_postgres
@pytest.mark.parametrize(("text", "found"), [("glacier", 10), ("tide", 3), ("budget", 10)])
def test_older_matches_are_read_span_by_span_of_years(make_section, make_archive, settings, text, found):
    """Past the walk, the older matches come from spans of years growing back in time, newest first.

    "glacier" is in every tenth story beyond the walk, twelve years of them: the first span
    (as far back as ten walks) holds the ten needed, so the GIN index fetches only that span's
    matches, not the 350 of the archive, and the later parts are never run. "tide" is in the three
    oldest stories only: every part runs and finds them; "budget" is found by the walk alone.
    """
    settings.SEARCH_RANK_WINDOW = 10  # the walk: the newest 500 stories
    section, now = make_section(), timezone.now()
    older_every = (datetime.timedelta(days=365 * 12) - datetime.timedelta(hours=500)) / 3500

    def published(n):
        return now - (
            datetime.timedelta(hours=n) if n < 500 else datetime.timedelta(hours=500) + older_every * (n - 500)
        )

    def headline(n):
        if n >= 3997:
            return "Tide tables"
        if n in (7, 200, 400) or (n >= 500 and n % 10 == 0):
            return "Glacier survey"
        return "Budget talks" if n % 3 == 0 else "Harbour report"

    make_archive(section, 4000, published, headline)
    plan = window_plan(text, found, settings.SEARCH_RANK_WINDOW, published_in)
    parts = [node for node in plan_nodes(plan) if node.get("Alias", "").startswith("older")]
    assert len(parts) >= 2, json.dumps(plan, indent=1)  # at least one span of years and the rest of the archive
    spans = [json.dumps(part) for part in parts[:-1]]
    assert all("'#" in span and "search_vector @@" in span for span in spans)  # by the year marks, in the index
    ran = [part["Actual Loops"] > 0 for part in parts]
    if text == "glacier":
        assert ran == [True] + [False] * (len(parts) - 1), json.dumps(plan, indent=1)
        # The walk's 500, the first span's glacier stories (29 a year, in one or two calendar years, whatever
        # the date today) and the probes of the ids: not the archive's 350 glaciers.
        assert rows_read(plan, {"articles_article"}) < 500 + 150 + 10, json.dumps(plan, indent=1)
    else:
        assert all(ran) == (text == "tide")


@on_postgres
def test_vector_carries_the_year_of_publication(make_article):
    story = make_article(headline="Volcano erupts", publish_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC))

    def in_years(*years):
        return list(Article.objects.filter(published_in(years)))

    assert in_years(2019) == [story]
    Article.objects.filter(pk=story.pk).update(publish_at=datetime.datetime(2021, 12, 31, 23, tzinfo=datetime.UTC))
    assert in_years(2019) == []
    assert in_years(2022, 2021) == [story]
    assert Article.objects.search("volcano").filter(pk=story.pk).exists()  # the words stay
    draft = make_article(headline="Volcano draft", status=Article.Status.DRAFT, publish_at=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM articles_article WHERE id = %s", [draft.pk])
        assert "'#" not in cursor.fetchone()[0]
        # Vectors from before the marks (the migration gives them theirs).
        cursor.execute("UPDATE articles_article SET search_vector = ts_delete(search_vector, '#2021')")
    assert in_years(2021) == []
    assert list(search_language.add_year_marks(connection))[-1] == 2  # stories done
    assert in_years(2021) == [story]


def test_year_spans_grow_back_from_the_walk():
    now = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    first = datetime.datetime(2011, 12, 5, tzinfo=datetime.UTC)
    days = datetime.timedelta(days=1)
    # The walk 55 days back: the next span ten times as far (into 2025), then the rest of the archive.
    assert year_spans(now, now - 55 * days, first) == [range(2026, 2024, -1)]
    assert year_spans(now, now - 5 * days, first) == [
        range(2026, 2025, -1),
        range(2025, 2024, -1),
        range(2024, 2012, -1),
    ]
    # Ten walks reach the archive's first years: nothing to split.
    assert year_spans(now, now - 548 * days, first) == []
    # A walk of stories published at one instant, or scheduled after now, still ends.
    assert (
        year_spans(now, now, first)
        == year_spans(now, now + days, first)
        == [range(2026, 2025, -1), range(2025, 2023, -1)]
    )
