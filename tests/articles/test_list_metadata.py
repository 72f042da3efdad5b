"""Home, section, tag and author pages as search engines and social sites read them (through extruct)."""

import extruct
import lxml.html
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Daily Test"
    settings.SITE_TAGLINE = "News you can test"
    settings.TWITTER_SITE = "@dailytest"


@pytest.fixture
def paper(make_article, make_section, make_author, make_tag, make_photo):
    world = make_section("World", description="Reports from every continent.")
    jane = make_author("Jane Doe", bio="Jane covers Europe.\nFrom Paris.", twitter="@janedoe", photo=make_photo())
    space = make_tag("Space")
    stories = [
        make_article(f"Story {n}", section=world, authors=[jane], tags=[space], featured=n == 0) for n in range(3)
    ]
    return {"world": world, "jane": jane, "space": space, "stories": stories}


def read(client, url):
    html = client.get(url).content.decode()
    data = extruct.extract(html, base_url=SITE, syntaxes=["json-ld", "opengraph"])
    (og,) = data["opengraph"]
    tree = lxml.html.fromstring(html)
    meta = {
        "description": tree.xpath("//meta[@name='description']/@content"),
        "canonical": tree.xpath("//link[@rel='canonical']/@href"),
        "twitter": {m.get("name"): m.get("content") for m in tree.xpath("//meta[starts-with(@name, 'twitter:')]")},
    }
    (graph,) = data["json-ld"]
    return dict(og["properties"]), meta, {item["@type"]: item for item in graph["@graph"]}


def listed(collection):
    return [item["name"] for item in collection["mainEntity"]["itemListElement"]]


@pytest.mark.parametrize(
    ("page", "title", "description"),
    [
        ("home", "The Daily Test", "News you can test"),
        ("section", "World", "Reports from every continent."),
        ("tag", "Space", "The latest stories about Space in The Daily Test"),
        ("author", "Jane Doe", "Jane covers Europe. From Paris."),
    ],
)
def test_list_pages_carry_social_tags_and_structured_data(client, paper, page, title, description):
    url = {
        "home": "/",
        "section": paper["world"].get_absolute_url(),
        "tag": paper["space"].get_absolute_url(),
        "author": paper["jane"].get_absolute_url(),
    }[page]
    og, meta, graph = read(client, url)
    assert meta["description"] == [description]
    assert meta["canonical"] == [SITE + url]
    assert og["og:type"] == "website" and og["og:locale"] == "en_US"
    assert og["og:title"] == title and og["og:description"] == description and og["og:url"] == SITE + url
    image = SITE + (paper["jane"].photo.image.url if page == "author" else "/static/img/social.png")
    assert og["og:image"] == image == meta["twitter"]["twitter:image"]
    assert meta["twitter"]["twitter:card"] == "summary_large_image"
    assert meta["twitter"]["twitter:site"] == "@dailytest"
    assert meta["twitter"].get("twitter:creator") == ("@janedoe" if page == "author" else None)
    collection = graph["CollectionPage"]
    assert collection["name"] == title and collection["url"] == SITE + url
    assert collection["isPartOf"]["url"] == SITE + "/"
    # The home page lists the top story above the list: the rest are in its ItemList.
    assert set(listed(collection)) <= {"Story 0", "Story 1", "Story 2"} and listed(collection)
    positions = [item["position"] for item in collection["mainEntity"]["itemListElement"]]
    assert positions == list(range(1, len(positions) + 1))
    if page == "home":
        search = graph["WebSite"]["potentialAction"]
        assert search["@type"] == "SearchAction"
        assert search["target"]["urlTemplate"] == SITE + "/search/?q={search_term_string}"
        assert search["query-input"] == "required name=search_term_string"
        assert graph["WebSite"]["publisher"]["@type"] == "Organization"
    else:
        assert graph["Organization"]["name"] == "The Daily Test"
        assert graph["Organization"]["logo"]["url"] == SITE + "/static/img/logo.png"


def test_structured_data_adds_no_queries_per_story(client, paper, make_article):
    def count():
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as captured:
            client.get(paper["world"].get_absolute_url())
        return len(captured)

    before = count()
    for n in range(5):
        make_article(f"More {n}", section=paper["world"])
    assert count() == before


def test_author_twitter_account_is_checked(make_author):
    author = make_author(twitter="janedoe")
    with pytest.raises(ValidationError, match="@newsdesk"):
        author.full_clean()
    author.twitter = "@jane_doe"
    author.full_clean()
