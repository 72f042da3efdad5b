"""No input gives a 5xx (issue 18, point 2): every public route, its path parts and query parameters,
and every field of the comment endpoints, fed with property-based (Hypothesis) input.

The routes are read from the URLconf, so a new page is fuzzed without being listed here.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import example, given
from hypothesis import strategies as st

from articles import body, paste, sanitize
from articles.pagination import PARAMS as LIST_PARAMS
from comments.models import Comment

pytestmark = pytest.mark.django_db

# Out of scope: the admin (staff only, Django's own forms) and uploaded files.
SKIPPED_PREFIXES = ("admin/", "media/")

# What broke pages before: Unicode digits, dates past year 9999, numbers past any column.
NASTY = st.sampled_from(
    [
        "²",
        "٣",
        "１２",
        "9" * 40,
        "-1",
        "0",
        "1e309",
        "NaN",
        "9999-12-31",
        "0000-00-00",
        "10000-01-01",
        "2026-02-30",
        "\x00",
        "\u202e",
        "💥",
        "%",
        "../../",
        "<script>",
        "99999999999999999.9",
        "-99999999999999999.999999999999999999",
        " ",
    ]
)
TEXT = st.one_of(
    NASTY,
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.dates().map(str),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(min_value=-(10**20), max_value=10**20), st.integers(0, 10**20)),
)
# Every parameter a public page reads, and some it does not.
QUERY_NAMES = [*LIST_PARAMS, "reply_to", "p", "q", "section", "author", "since", "until", "order", "utm_source"]
QUERIES = st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10)), TEXT, max_size=4)


def public_routes(patterns=None, prefix=""):
    """(route, converters) of every path() in the URLconf outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, dict(pattern.pattern.converters)


ROUTES = sorted({route: converters for route, converters in public_routes()}.items())


def path_part(converter):
    """Values the converter's regex accepts (as the URLconf would route them), huge numbers included."""
    matching = st.from_regex(f"\\A(?:{converter.regex})\\Z").filter(lambda text: "\n" not in text)
    if re.fullmatch(converter.regex, "1"):
        return st.one_of(matching, st.integers(0, 10**30).map(str).filter(lambda n: re.fullmatch(converter.regex, n)))
    return matching


def boundary_url(route, converters):
    """The route with each part at its largest: year 9999, month 99, a 30-digit id, a slug."""

    def largest(converter):
        for candidate in ("9" * 30, "9999", "99"):
            if re.fullmatch(converter.regex, candidate):
                return candidate
        return "x"

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: largest(converters[match[1]]), route)


# Every parameter at once, each with a value that once broke a page.
BOUNDARY_QUERY = {
    "page": "²",
    "before": "٣.١",
    "after": "9" * 40,
    "p": "²",
    "reply_to": "9" * 40,
    "since": "10000-01-01",
    "until": "0000-00-00",
    "q": "\x00",
    "section": "💥",
    "author": "\u202e",
}


def url_strategy(route, converters):
    parts = re.split(r"<(?:\w+:)?(\w+)>", route)
    strategies = [st.just(part) if i % 2 == 0 else path_part(converters[part]) for i, part in enumerate(parts)]
    return st.tuples(*strategies).map(lambda pieces: "/" + "".join(quote(piece, safe="/") for piece in pieces))


@pytest.fixture
def site(make_article, make_tag, make_comment_on):
    """A little of everything, so that pages render content rather than 404s."""
    story = make_article(headline="Fuzzed story", tags=[make_tag("Budget")])
    make_comment_on(story)
    return story


@pytest.fixture
def make_comment_on(db):
    def make(article):
        return Comment.objects.create(
            article=article, author_name="Ada", email="ada@example.org", body="First!", status="approved"
        )

    return make


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{response.status_code} for {what}"


@pytest.mark.parametrize("route, converters", ROUTES, ids=[route or "/" for route, _ in ROUTES])
def test_no_public_route_answers_5xx(site, route, converters):
    client = Client()

    @given(url=url_strategy(route, converters), query=QUERIES)
    @example(url=boundary_url(route, converters), query=BOUNDARY_QUERY)
    @example(url=boundary_url(route, converters), query={})
    def check(url, query):
        assert_no_server_error(client.get(url, query), (url, query))

    check()


@given(path=st.text(min_size=1, max_size=60))
@example(path="archive/9999/")
@example(path="archive/9999/12/31/")
@example(path="story/99999999999999999999999/read.gif")
def test_any_path_answers_without_5xx(site, path):
    assert_no_server_error(Client().get("/" + quote(path, safe="/")), path)


@pytest.mark.parametrize(
    "address",
    ["/archive/9999/", "/archive/9999/12/", "/archive/9999/12/31/", "/archive/0001/01/01/", "/archive/1899/"],
)
def test_archive_dates_outside_the_calendar_are_404(client, address):
    """Each was a 500: year 10000 is out of range, or the date overflowed."""
    assert client.get(address).status_code == 404


@pytest.mark.parametrize(
    "query", [{"page": "²"}, {"page": "١٢"}, {"before": "٣.١"}, {"after": "99999999999999999.1"}, {"page": "9" * 40}]
)
def test_unicode_digits_and_huge_numbers_in_list_parameters(client, site, query):
    """int('²') gave a 500 on every list page."""
    for address in ("/", site.section.get_absolute_url(), "/tag/budget/", "/search/"):
        response = client.get(address, query)
        assert response.status_code in (200, 400, 404), (address, query, response.status_code)


COMMENT_FIELDS = st.fixed_dictionaries(
    {
        "author_name": TEXT,
        "email": st.one_of(TEXT, st.emails().map(str)),
        "body": TEXT,
        "parent": TEXT,
        "website": st.one_of(st.just(""), TEXT),
        "notify": st.one_of(st.just(""), TEXT),
    }
)


def test_comment_post_never_answers_5xx(site, settings):
    settings.COMMENTS_RATE_LIMIT = settings.COMMENTS_NETWORK_RATE_LIMIT = 10**6
    client = Client(HTTP_SEC_FETCH_SITE="same-origin")

    @given(fields=COMMENT_FIELDS, story_id=st.one_of(st.just(site.pk), st.integers(0, 10**30)))
    def check(fields, story_id):
        assert_no_server_error(client.post(f"/comments/post/{story_id}/", fields), fields)

    check()


def test_flag_and_unsubscribe_never_answer_5xx(site, settings):
    settings.COMMENTS_RATE_LIMIT = settings.COMMENTS_NETWORK_RATE_LIMIT = 10**6
    comment = site.comments.get()
    client = Client()

    @given(reason=TEXT, comment_id=st.one_of(st.just(comment.pk), st.integers(0, 10**30)), token=TEXT)
    def check(reason, comment_id, token):
        assert_no_server_error(client.post(f"/comments/{comment_id}/flag/", {"reason": reason}), reason)
        if token and "/" not in token:
            unsubscribe = f"/comments/unsubscribe/{quote(token, safe='')}/"
            assert_no_server_error(client.get(unsubscribe), token)
            assert_no_server_error(client.post(unsubscribe), token)

    check()


# Markup-ish text for the body pipeline: tags, comments, CDATA, quotes and brackets, in any order.
MARKUP = st.lists(
    st.one_of(
        st.sampled_from(
            ["<", ">", "<!", "<![", "]]>", "-->", "<!--", '"', "'", "=", "/", "<p>", "</p>", "<img src=", "onerror="]
        ),
        st.sampled_from(["<figure data-embed=", "<iframe src=", "<script>", "<svg>", "<math>", "<table>", "&#"]),
        st.text(max_size=8),
    ),
    max_size=30,
).map("".join)
REPORTED_VECTOR = '<![><img src="]><img src=x onerror=alert(1)//">'


@given(markup=MARKUP)
@example(markup=REPORTED_VECTOR)
def test_the_body_pipeline_cleans_or_refuses_but_never_raises(markup):
    """A body either comes out cleaned or is refused with a ValidationError: never another exception."""
    try:
        prepared = body.prepare(paste.normalise(markup))
        sanitize.check_body(prepared)
    except ValidationError:
        return
    elements = Elements()
    elements.feed(sanitize.clean_html(prepared))
    elements.close()
    assert not elements.found & {"script", "svg", "math", "iframe", "style"}
    assert not any(name.startswith("on") for name in elements.attributes)


class Elements(HTMLParser):
    """The tag and attribute names in a fragment, as a browser's tokenizer reads them."""

    def __init__(self):
        super().__init__()
        self.found, self.attributes = set(), set()

    def handle_starttag(self, tag, attrs):
        self.found.add(tag)
        self.attributes.update(name for name, _ in attrs)


def test_the_reported_vector_saves_harmlessly_from_the_admin(client, editor, section, make_author, site):
    """It turned an admin save into a 500; now it is stored as an image with a junk address, nothing runs."""
    from articles.models import Article
    from tests.articles.test_admin import ADD, article_form, change_url

    client.force_login(editor)
    added = client.post(ADD, article_form(section, make_author(), body=REPORTED_VECTOR))
    assert added.status_code in (200, 302)
    changed = client.post(change_url(site), article_form(section, make_author(), slug=site.slug, body=REPORTED_VECTOR))
    assert changed.status_code in (200, 302)
    for stored in Article.objects.values_list("body", flat=True):
        elements = Elements()
        elements.feed(stored)
        assert not any(name.startswith("on") for name in elements.attributes), stored
