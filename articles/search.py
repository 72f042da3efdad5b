"""Reader search: full-text search with ranking on PostgreSQL and on SQLite (FTS5, see fts.py), a
plain fallback elsewhere, the highlighting of matches and the page of results.

Stories are found through ``Article.objects.search``, which calls ``matching``
here; the search page's form (forms.SearchForm) only checks what the reader asked.
"""

import datetime
import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import F, Q, Subquery, Value
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.db.models.functions import Concat, Left
from django.utils import timezone

from . import fts
from .forms import local_midnight
from .metadata import plain_text
from .models import Article, Byline
from .pagination import Cursor
from .search_language import search_config, years_query

# What PostgreSQL puts around matched words in search snippets: characters no
# story contains, swapped for <mark> only after the text has been escaped.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# Search snippets come from the standfirst and the opening of the body, where a news
# story says what it is about (with no match there, the snippet is the standfirst):
# ts_headline parses all the text it is given, and whole bodies made it the largest
# cost of a page of results.
SNIPPET_SOURCE_CHARS = 1000
# How many of the newest stories a search tests one by one for each match it needs
# (newest_matches): any word in one story in 50 or more is found by this walk alone.
SEARCH_WALK_PER_MATCH = 50
# How much farther back each span of years searched for older matches reaches than the one before (newest_matches).
SEARCH_WINDOW_GROWTH = 10


def engine(connection):
    """How this database searches: "postgresql", "fts5" (SQLite with the index) or "substring"."""
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite" and fts.available(connection):
        return "fts5"
    return "substring"


def search_words(text):
    """The plain words of a search, for the fallback that has no query parser."""
    return re.findall(r"\w+", text)


def matching(stories, text, order="relevance", depth=None):
    """Stories matching ``text``: ranked full-text search on PostgreSQL and SQLite, a plain fallback elsewhere.

    "relevance" ranks the newest ``SEARCH_RANK_WINDOW`` matches; "date"
    lists them all newest first, or, given ``depth``, only the newest
    ``depth`` (as far as the pages to be shown reach). Both find their newest
    matches with ``newest_matches``, so that a common word or phrase costs no
    more in a large archive than in a small one.
    """
    how = engine(connections[stories.db])
    if how == "substring":
        return substring_matching(stories, text)
    if how == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=search_config())
        matches = Q(search_vector=query)
    else:
        query = fts.query(text)
        if query is None:
            return stories.none()
        matches = Q(pk__in=fts.matching_ids(query))
    years = published_in if how == "postgresql" else None
    if order == "date":
        if depth is None:
            found = stories.filter(matches)
        else:
            found = stories.model.objects.filter(pk__in=newest_matches(stories, matches, depth, years))
        found = found.latest_first()
    else:
        window = newest_matches(stories, matches, settings.SEARCH_RANK_WINDOW, years)
        if how == "postgresql":
            found = (
                stories.model.objects.filter(pk__in=window)
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-publish_at", "-id")
            )
        else:
            found = fts.ranked(stories.model.objects.all(), query, window)
    # Highlights (see ``highlights``) replace the body on the results page: it stays in the database.
    return found.defer("body")


class Lexemes(SearchQuery):
    """A tsquery of lexemes as they are written (year marks), which SearchQuery's functions would parse as words."""

    template = "%(expressions)s::tsquery"


def published_in(years):
    """The condition that a story was published in one of ``years`` (UTC), read by PostgreSQL's GIN index."""
    return Q(search_vector=Lexemes(years_query(years)))


def desk_matches(stories, text):
    """Stories for the admin's search box: words of the headline, standfirst and body, or a byline's name.

    The words go through the full-text index the reader's search uses (PostgreSQL's vector, SQLite's
    FTS5 table), so the desk finds "warning" in "warned" as readers do; only without an index must every
    word appear in one of the texts.
    """
    how = engine(connections[stories.db])
    # The stories of the authors so named, as ids to look up: a test of each story's bylines
    # (``Exists``) on one side of an OR makes SQLite read every story in the archive.
    named = Q(pk__in=_bylines_naming(text.strip()).values("article"))
    if how == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=search_config())
        return stories.filter(Q(search_vector=query) | named)
    if how == "fts5":
        query = fts.query(text)
        return stories.filter(Q(pk__in=fts.matching_ids(query)) | named) if query else stories.filter(named)
    words = search_words(text)
    if not words:
        return stories
    matches = stories
    for word in words:
        named = Q(pk__in=_bylines_naming(word).values("article"))
        matches = matches.filter(
            Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word) | named
        )
    return matches


def _bylines_naming(text):
    return Byline.objects.filter(author__name__icontains=text)


def substring_matching(stories, text):
    """Stories holding every word of ``text`` anywhere, newest first: only where no full-text index is."""
    words = search_words(text)
    matches = stories if words else stories.none()
    for word in words:
        matches = matches.filter(Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word))
    return matches.latest_first()


def highlights(stories, text):
    """{pk: (headline, snippet)} of these stories, the words of ``text`` between the markers (PostgreSQL).

    Asked for one page of results only: PostgreSQL would otherwise work out
    the snippets of every row an OFFSET skips too. The snippet comes from the
    standfirst and the opening of the body (``SNIPPET_SOURCE_CHARS``).
    """
    config = search_config()
    query = SearchQuery(text, search_type="websearch", config=config)
    marked = {"config": config, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    rows = stories.values_list(
        "pk",
        SearchHeadline("headline", query, highlight_all=True, **marked),
        SearchHeadline(
            Concat("standfirst", Value(" "), Left("body", SNIPPET_SOURCE_CHARS)),
            query,
            max_fragments=2,
            max_words=25,
            min_words=10,
            fragment_delimiter=" … ",
            **marked,
        ),
    )
    return {pk: (headline, snippet) for pk, headline, snippet in rows}


def fts_highlights(ids, text):
    """{pk: (headline, snippet)} of the stories with these ids, from SQLite's index, the words of ``text`` marked."""
    rows = fts.indexed(Article.objects.order_by(), ids, fts.query(text)).values_list(
        "pk", fts.marked_headline(MARK_START, MARK_STOP), fts.snippet(MARK_START, MARK_STOP)
    )
    return {pk: (headline, snippet) for pk, headline, snippet in rows}


def newest_matches(stories, matches, count, years=None):
    """SQL for the ids of the newest ``count`` of these live stories that meet ``matches``, a full-text condition.

    Two parts, the second read only when the first falls short:

    1. the newest ``count * SEARCH_WALK_PER_MATCH`` stories, walked newest
       first down the date index, each one tested; this stops at
       the ``count``-th match, after a few thousand stories for a common
       word or phrase, whatever the size of the archive;
    2. the older matches, which only a rarer query needs, through whichever
       index the planner prefers (the GIN index or the FTS5 table, for a rare word).
       Given ``years`` (a function of some years giving the condition that a story
       was published in one of them: the year marks of PostgreSQL's vectors), they
       are asked for span by span of years, newest first (``year_spans``), and the
       spans after the one that fills the window are never read: the GIN index reads
       only the span's part of each word's posting list, and fetches only the span's
       matches to sort them by date, however far back the archive goes.

    Left to itself PostgreSQL's planner walks or uses the GIN index by its estimate of
    how many stories match, and it takes the words of a phrase or of a name
    ("central bank") for independent: it would fetch every one of 50,000
    matches from the GIN index to keep 200 (the GIN index alone reads their
    posting lists for 26 ms at 1M stories; the walk, 4,000 stories). Where the
    walk ends is read first, by a query of its own: as a subquery it was an
    InitPlan per use, each walking the newest stories again.
    """
    walk = count * SEARCH_WALK_PER_MATCH
    live = stories.latest_first()
    # The test is a column of the walk, not a condition on it: the planner cannot turn it into a
    # GIN index scan, and a sort (for a small section) carries a flag rather than the vectors.
    walked = live.annotate(matches=ExpressionWrapper(matches, output_field=models.BooleanField()))
    walked_sql, walked_params = walked.values("pk", "matches")[:walk].query.sql_with_params()
    parts = [(f"SELECT walked.pk FROM ({walked_sql}) walked WHERE walked.matches", walked_params)]
    ends = live.values_list("publish_at", "pk")
    if years is not None:
        # The archive's first date comes along, an index probe, for the spans of years.
        first = Article.objects.published().order_by("publish_at").values("publish_at")[:1]
        ends = ends.annotate(first=Subquery(first)).values_list("publish_at", "pk", "first")
    bound = ends[walk - 1 : walk].first()
    if bound is None:
        # The walk reaches the last of these stories (a section's, an author's, a month's): no older
        # part, which SQLite would answer by fetching every match of the words from its index.
        return RawSQL(f"{parts[0][0]} LIMIT %s", (*walked_params, count))
    older = stories.filter(matches).older_than(Cursor(*bound[:2]))
    spans = [] if years is None else year_spans(timezone.now(), bound[0], bound[2])
    windows = [older.filter(years(span)) for span in spans]
    # The rest of the archive, whose matches the GIN index then finds in its whole posting lists.
    windows.append(older.filter(publish_at__lt=year_start(spans[-1][-1])) if spans else older)
    for n, window in enumerate(windows):
        window_sql, window_params = window.values("pk")[:count].query.sql_with_params()
        parts.append((f"SELECT older{n}.pk FROM ({window_sql}) older{n}", window_params))
    # Each part a subquery in FROM, as SQLite wants the parts of a UNION; they are read in turn
    # until ``count`` ids are found.
    union = " UNION ALL ".join(sql for sql, _ in parts)
    return RawSQL(f"SELECT found.pk FROM ({union}) found LIMIT %s", (*(p for _, ps in parts for p in ps), count))


def year_spans(now, bound, first):
    """The spans of years in which to look for older matches, newest first, from where the walk ended (``bound``).

    Each reaches ``SEARCH_WINDOW_GROWTH`` times as far back from ``now`` as the one before (the walk
    the first time): the newest N stories, then about 10N, 100N... None reaches the oldest story's
    year (``first``) or the year after it: the rest of the archive is read as a whole.
    """
    # At least a day: a walk of stories published at one instant must not keep the spans from growing.
    spans, newest, reach = [], utc_year(bound), max(now - bound, datetime.timedelta(days=1))
    while True:
        reach *= SEARCH_WINDOW_GROWTH
        oldest = utc_year(max(now - reach, first))
        if oldest <= utc_year(first) + 1:
            return spans
        if oldest <= newest:
            spans.append(range(newest, oldest - 1, -1))
            newest = oldest - 1


def utc_year(moment):
    return moment.astimezone(datetime.UTC).year


def year_start(year):
    return datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)


def mark_words(text, words, width=None):
    """``text`` with ``words`` between the search markers: the fallback's highlighting.

    With ``width``, only about that many characters around the first match.
    """
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    if width:
        first = pattern.search(text)
        start = max((first.start() if first else 0) - width // 3, 0)
        text = ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_STOP}", text)


class ResultsPage:
    """One page of results, found without counting every match.

    Fetching one row past the page tells whether another page follows; a
    count(*) over all matches of a common word would cost more than the page.
    """

    def __init__(self, queryset, number, per_page):
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self.number = number
        self.start_index = start + 1
        self.has_previous = number > 1
        self.has_next = len(rows) > per_page and number < settings.SEARCH_MAX_PAGES

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def results(form):
    """The requested page of matching live stories, or None when there is nothing to search for.

    Invalid filters are reported by the form and left out; the valid ones apply.
    """
    if not form.is_bound or "q" in form.errors:
        return None
    criteria = form.cleaned_data
    text = criteria.get("q")
    if not text:
        return None
    stories = Article.objects.published()
    if criteria.get("section"):
        stories = stories.filter(section=criteria["section"])
    if criteria.get("author"):
        stories = stories.filter(bylines__author=criteria["author"])
    if criteria.get("since"):
        stories = stories.filter(publish_at__gte=local_midnight(criteria["since"]))
    if criteria.get("until"):
        stories = stories.filter(publish_at__lt=local_midnight(criteria["until"] + datetime.timedelta(days=1)))
    order = criteria.get("order") or "relevance"
    number = min(criteria.get("page") or 1, settings.SEARCH_MAX_PAGES)
    # This page and the row after it, which tells whether another page follows.
    depth = number * settings.PAGE_SIZE + 1
    found = matching(stories, text, order=order, depth=depth).for_listing()
    page = ResultsPage(found, number, settings.PAGE_SIZE)
    ranked = engine(connections[found.db]) != "substring" and order == "relevance"
    # On the last page of a full ranking window, say so and link to the page of older matches by date.
    window_full = not page.has_next and page.start_index + len(page.object_list) > settings.SEARCH_RANK_WINDOW
    page.ranked_newest = settings.SEARCH_RANK_WINDOW if ranked and window_full else None
    page.older_by_date = settings.SEARCH_RANK_WINDOW // settings.PAGE_SIZE + 1
    highlight(page.object_list, text)
    return page


def highlight(stories, text):
    """Give each story its headline and a snippet with the words of ``text`` marked."""
    how = engine(connections[Article.objects.db])
    if stories and how != "substring":
        ids = [story.pk for story in stories]
        if how == "postgresql":
            marked = highlights(Article.objects.filter(pk__in=ids), text)
        else:
            marked = fts_highlights(ids, text)
        for story in stories:
            story.headline_marked, story.snippet = marked[story.pk]
        return
    words = search_words(text)
    # Result cards leave the body in the database (card_columns): the snippets read it in one query.
    bodies = dict(Article.objects.filter(pk__in=[story.pk for story in stories]).values_list("pk", "body"))
    for story in stories:
        story.headline_marked = mark_words(story.headline, words)
        story.snippet = mark_words(plain_text(bodies[story.pk]), words, width=240)
