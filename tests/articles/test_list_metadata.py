"""Home, section, tag and author pages as search engines and social sites read them (through extruct)."""

import datetime

import extruct
import lxml.html
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


@pytest.mark.parametrize("period", ["year", "month", "day"])
def test_date_archives_carry_social_tags_and_structured_data(client, make_article, period):
    moment = timezone.make_aware(datetime.datetime(2024, 3, 1, 12))
    for n in range(2):
        make_article(f"March story {n}", publish_at=moment - datetime.timedelta(minutes=n))
    make_article("A story of another year", publish_at=moment.replace(year=2023))
    url, title = {
        "year": ("/archive/2024/", "2024"),
        "month": ("/archive/2024/03/", "March 2024"),
        "day": ("/archive/2024/03/01/", "March 01, 2024"),
    }[period]
    og, meta, graph = read(client, url)
    description = f"All the stories of {title} in the archive of The Daily Test"
    assert meta["description"] == [description] and meta["canonical"] == [SITE + url]
    assert og["og:title"] == title == meta["twitter"]["twitter:title"]
    assert og["og:description"] == description and og["og:url"] == SITE + url
    assert og["og:image"] == SITE + "/static/img/social.png" == meta["twitter"]["twitter:image"]
    assert meta["twitter"]["twitter:card"] == "summary_large_image"
    collection = graph["CollectionPage"]
    assert collection["name"] == title and collection["description"] == description
    assert listed(collection) == ["March story 0", "March story 1"]
    assert graph["Organization"]["name"] == "The Daily Test"
    assert f"<h1>{title}</h1>" in client.get(url).content.decode()


def test_archive_index_lists_its_years_in_structured_data(client, make_article):
    for year in (2024, 2023):
        make_article(f"A story of {year}", publish_at=timezone.make_aware(datetime.datetime(year, 6, 1, 12)))
    og, meta, graph = read(client, "/archive/")
    description = "Every year and month of The Daily Test stories, with how many were published"
    assert meta["description"] == [description] and og["og:description"] == description
    assert og["og:title"] == "Archive" and og["og:url"] == SITE + "/archive/"
    assert meta["twitter"]["twitter:card"] == "summary_large_image"
    collection = graph["CollectionPage"]
    assert collection["name"] == "Archive" and collection["url"] == SITE + "/archive/"
    assert [(item["name"], item["url"]) for item in collection["mainEntity"]["itemListElement"]] == [
        ("2024", SITE + "/archive/2024/"),
        ("2023", SITE + "/archive/2023/"),
    ]
