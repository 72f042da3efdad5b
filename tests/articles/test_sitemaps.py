import datetime
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

SITE = "https://news.example.org"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Daily Test"
    settings.NEWS_LANGUAGE = "en"


def xml(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def test_index_lists_paginated_parts(client, make_article, make_tag, make_author, settings):
    settings.SITEMAP_LIMIT = 2
    for _ in range(5):
        make_article(tags=[make_tag()])
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    parts = [loc.rsplit("/", 1)[1] for loc in locations(root)]
    assert parts == [
        "sitemap-stories.xml",
        "sitemap-stories.xml?p=2",
        "sitemap-stories.xml?p=3",
        "sitemap-sections.xml",
        "sitemap-tags.xml",
        "sitemap-tags.xml?p=2",
        "sitemap-tags.xml?p=3",
        "sitemap-authors.xml",
        "sitemap-authors.xml?p=2",
        "sitemap-authors.xml?p=3",
    ]
    lastmods = [node.text for node in root.iterfind("sm:sitemap/sm:lastmod", NS)]
    assert lastmods, "the stories part carries the latest change"


def test_story_parts_hold_live_stories_newest_first(client, make_article, settings):
    settings.SITEMAP_LIMIT = 2
    now = timezone.now()
    live = [make_article(publish_at=now - datetime.timedelta(days=n)) for n in range(3)]
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.WITHDRAWN)
    make_article(status=Article.Status.SCHEDULED, publish_at=now + datetime.timedelta(days=1))
    first = xml(client, "/sitemap-stories.xml")
    second = xml(client, "/sitemap-stories.xml", {"p": 2})
    assert locations(first) + locations(second) == [SITE + story.get_absolute_url() for story in live]
    lastmod = first.find("sm:url/sm:lastmod", NS).text
    assert lastmod.startswith(live[0].publish_at.date().isoformat())
    assert client.get("/sitemap-stories.xml", {"p": 3}).status_code == 404
    assert client.get("/sitemap-stories.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_section_tag_author_parts(client, make_article, make_tag, make_author):
    tag, author = make_tag(), make_author()
    story = make_article(tags=[tag], authors=[author])
    assert locations(xml(client, "/sitemap-sections.xml")) == [SITE + story.section.get_absolute_url()]
    assert locations(xml(client, "/sitemap-tags.xml")) == [SITE + tag.get_absolute_url()]
    assert SITE + author.get_absolute_url() in locations(xml(client, "/sitemap-authors.xml"))


def test_sitemap_queries_do_not_grow(client, make_article, settings):
    settings.SITEMAP_LIMIT = 100

    def count(n):
        for _ in range(n):
            make_article()
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as index:
            xml(client, "/sitemap.xml")
        with CaptureQueriesContext(connection) as part:
            assert len(locations(xml(client, "/sitemap-stories.xml"))) >= n
        with CaptureQueriesContext(connection) as news:
            xml(client, reverse("articles:news_sitemap"))
        return len(index), len(part), len(news)

    assert count(1) == count(10)


def test_news_sitemap_has_the_last_48_hours(client, make_article):
    now = timezone.now()
    fresh = make_article(headline="Fresh & <new>", publish_at=now - datetime.timedelta(hours=3))
    make_article(headline="Old", publish_at=now - datetime.timedelta(hours=49))
    make_article(headline="Draft", status=Article.Status.DRAFT)
    root = xml(client, reverse("articles:news_sitemap"))
    (url,) = root.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == SITE + fresh.get_absolute_url()
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "The Daily Test"
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Fresh & <new>"
    published = datetime.datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.publish_at


def test_robots_txt_points_to_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
