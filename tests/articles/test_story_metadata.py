import datetime

import extruct
import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Author

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Daily Test"


@pytest.fixture
def story(make_article, make_section, make_author, make_tag, make_photo):
    return make_article(
        headline="Russia ceases work on joint space projects",
        standfirst="Roscosmos says it has sought China's <cooperation> & more.",
        section=make_section("Sci-Tech"),
        authors=[make_author("Jane Doe"), make_author("News Desk", kind=Author.Kind.DESK)],
        tags=[make_tag("Space"), make_tag("Russia")],
        lead_photo=make_photo(alt_text="A Soyuz rocket on the pad"),
        publish_at=timezone.now() - datetime.timedelta(days=1),
    )


def page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def extract(html):
    return extruct.extract(html, base_url=SITE, syntaxes=["json-ld", "opengraph"])


def opengraph(html):
    """The page's OpenGraph properties, each with the list of its values in order."""
    (og,) = extract(html)["opengraph"]
    properties = {}
    for name, value in og["properties"]:
        properties.setdefault(name, []).append(value)
    return properties


def at_second(moment):
    return moment.replace(microsecond=0)


def json_ld(html, kind):
    (data,) = [item for item in extract(html)["json-ld"] if item["@type"] == kind]
    return data


def test_news_article_json_ld(client, story):
    data = json_ld(page(client, story), "NewsArticle")
    url = SITE + story.get_absolute_url()
    photo = story.lead_photo
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == story.standfirst
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert datetime.datetime.fromisoformat(data["datePublished"]) == at_second(story.publish_at)
    assert datetime.datetime.fromisoformat(data["dateModified"]) == at_second(story.publish_at)
    assert data["articleSection"] == "Sci-Tech"
    assert data["keywords"] == ["Russia", "Space"]
    # The 16:9, 4:3 and 1:1 crops, as Google asks, each the widest JPEG rendition (the photo is 64 × 48).
    crops = {rendition.file.url: rendition for rendition in photo.renditions.filter(format="jpeg")}
    assert [(image["width"], image["height"]) for image in data["image"]] == [(64, 36), (64, 48), (48, 48)]
    for image in data["image"]:
        rendition = crops[image.pop("url").removeprefix(SITE)]
        assert (rendition.width, rendition.height) == (image["width"], image["height"])
        assert image == {
            "@type": "ImageObject",
            "width": rendition.width,
            "height": rendition.height,
            "caption": photo.caption,
            "creditText": "REUTERS",
        }
    jane, desk = story.byline_authors
    assert data["author"] == [
        {"@type": "Person", "name": "Jane Doe", "url": SITE + jane.get_absolute_url()},
        {"@type": "Organization", "name": "News Desk", "url": SITE + desk.get_absolute_url()},
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Daily Test",
        "url": SITE + "/",
        "logo": {"@type": "ImageObject", "url": SITE + "/static/img/logo.png"},
    }


def test_json_ld_cannot_break_out_of_its_script(client, story):
    story.headline = "</script><script>alert(1)</script>"
    story.save()
    html = page(client, story)
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    data = json_ld(html, "NewsArticle")
    assert json_ld(html, "BreadcrumbList")["itemListElement"][2]["name"] == story.headline
    assert data["headline"] == "</script><script>alert(1)</script>"


def test_updated_story_has_date_modified(client, story):
    story = Article.objects.get(pk=story.pk)
    story.body += "<p>New paragraph.</p>"
    story.save()
    html = page(client, story)
    data = json_ld(html, "NewsArticle")
    assert story.updated_at > story.publish_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) == at_second(story.updated_at)
    modified = opengraph(html)["article:modified_time"]
    assert [datetime.datetime.fromisoformat(value) for value in modified] == [at_second(story.updated_at)]


def test_opengraph(client, story):
    og = opengraph(page(client, story))
    image = SITE + story.lead_photo.image.url
    assert og == {
        "og:type": ["article"],
        "og:site_name": ["The Daily Test"],
        "og:locale": ["en_US"],
        "og:title": [story.headline],
        "og:description": [story.standfirst],
        "og:url": [SITE + story.get_absolute_url()],
        "og:image": [image],
        "og:image:width": ["64"],
        "og:image:height": ["48"],
        "og:image:alt": ["A Soyuz rocket on the pad"],
        "article:published_time": [at_second(story.publish_at).isoformat()],
        "article:modified_time": [at_second(story.publish_at).isoformat()],
        "article:section": ["Sci-Tech"],
        "article:tag": ["Russia", "Space"],
    }


def test_canonical_description_and_twitter(client, story, settings):
    settings.TWITTER_SITE = "@dailytest"
    Author.objects.filter(name="Jane Doe").update(twitter="@janedoe")
    tree = lxml.html.fromstring(page(client, story))
    assert tree.xpath("//link[@rel='canonical']/@href") == [SITE + story.get_absolute_url()]
    assert tree.xpath("//meta[@name='description']/@content") == [story.standfirst]
    twitter = {meta.get("name"): meta.get("content") for meta in tree.xpath("//meta[starts-with(@name, 'twitter:')]")}
    assert twitter == {
        "twitter:card": "summary_large_image",
        "twitter:site": "@dailytest",
        "twitter:creator": "@janedoe",
        "twitter:title": story.headline,
        "twitter:description": story.standfirst,
        "twitter:image": SITE + story.lead_photo.image.url,
        "twitter:image:alt": "A Soyuz rocket on the pad",
    }


def test_story_without_photo_standfirst_or_tags(client, make_article):
    story = make_article(standfirst="", body="<p>Only <b>a body</b> here.</p><p>Then&nbsp;more.</p>")
    html = page(client, story)
    data = json_ld(html, "NewsArticle")
    assert "keywords" not in data
    # No photo of its own: the site image (SITE_IMAGE) stands in everywhere.
    site_image = SITE + "/static/img/social.png"
    assert data["image"] == [{"@type": "ImageObject", "url": site_image}]
    assert data["description"] == "Only a body here. Then more."
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    assert tree.xpath("//meta[@name='twitter:image']/@content") == [site_image]
    assert tree.xpath("//meta[@name='description']/@content") == ["Only a body here. Then more."]
    assert tree.xpath("//meta[@property='og:image']/@content") == [site_image]
    assert tree.xpath("//meta[@property='og:image:alt']/@content") == ["The Daily Test"]
    assert not tree.xpath("//meta[@name='twitter:creator']")


def test_story_breadcrumbs(client, story):
    crumbs = json_ld(page(client, story), "BreadcrumbList")["itemListElement"]
    assert [(crumb["position"], crumb["name"], crumb["item"]) for crumb in crumbs] == [
        (1, "The Daily Test", SITE + "/"),
        (2, "Sci-Tech", SITE + story.section.get_absolute_url()),
        (3, story.headline, SITE + story.get_absolute_url()),
    ]


def test_metadata_adds_no_queries_per_author_or_tag(client, make_article, make_author, make_tag, make_photo, section):
    make_article(section=section, lead_photo=make_photo())  # related stories always have photos to prefetch

    def count(n):
        story = make_article(
            section=section,
            authors=[make_author() for _ in range(n)],
            tags=[make_tag() for _ in range(n)],
            lead_photo=make_photo(),
        )
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as captured:
            page(client, story)
        return len(captured)

    assert count(1) == count(6)
