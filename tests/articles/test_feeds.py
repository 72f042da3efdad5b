import datetime
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author

SITE = "http://news.example.org"
MEDIA = "http://search.yahoo.com/mrss/"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Daily Test"
    settings.SITE_TAGLINE = "All the tests fit to print"


@pytest.fixture
def story(make_article, make_section, make_author, make_tag, make_photo):
    return make_article(
        headline="Russia ceases work on joint space projects",
        standfirst="Roscosmos says it has sought China's cooperation.",
        section=make_section("Sci-Tech"),
        authors=[make_author("Jane Doe"), make_author("AFP", kind=Author.Kind.AGENCY)],
        tags=[make_tag("Space"), make_tag("Russia")],
        lead_photo=make_photo(width=None),
        publish_at=timezone.now() - datetime.timedelta(hours=2),
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def feed_urls(story):
    section, author, tag = story.section.slug, story.byline_authors[0].slug, story.tags.first().slug
    for name in ("rss", "atom"):
        yield name, reverse(f"articles:feed_{name}")
        yield name, reverse(f"articles:section_feed_{name}", args=[section])
        yield name, reverse(f"articles:author_feed_{name}", args=[author])
        yield name, reverse(f"articles:tag_feed_{name}", args=[tag])


def test_every_feed_carries_the_story_with_full_metadata(client, story):
    photo = story.lead_photo
    for name, url in feed_urls(story):
        response, feed = parse(client, url)
        assert feed.version == ("rss20" if name == "rss" else "atom10"), url
        assert response["Content-Type"].startswith("application/rss+xml" if name == "rss" else "application/atom+xml")
        assert "The Daily Test" in feed.feed.title
        assert feed.feed.link.startswith(SITE)
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [SITE + url]
        (entry,) = feed.entries
        assert entry.title == "Russia ceases work on joint space projects"
        assert entry.summary == "Roscosmos says it has sought China's cooperation."
        assert entry.link == SITE + story.get_absolute_url()
        assert entry.id == f"{SITE}/story/{story.pk}/"
        if name == "atom":  # one <author> per byline author, each with a link to the author's page
            assert [(author.name, author.href) for author in entry.authors] == [
                (author.name, SITE + author.get_absolute_url()) for author in story.byline_authors
            ]
        else:
            assert entry.author == "Jane Doe, AFP"
        assert {term.term for term in entry.tags} == {"Sci-Tech", "Space", "Russia"}
        assert entry.published_parsed[:6] == story.publish_at.utctimetuple()[:6]
        (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
        assert enclosure.href == SITE + photo.image.url
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) == photo.image.size > 0
        (media,) = entry.media_content
        assert media["url"] == SITE + photo.image.url
        assert media["medium"] == "image"
        assert (media["width"], media["height"]) == ("64", "48")
        assert entry.media_credit[0]["content"] == "REUTERS"
        # feedparser folds media:description into the summary, so read the caption from the XML itself.
        captions = ElementTree.fromstring(response.content).iter(f"{{{MEDIA}}}description")
        assert [caption.text for caption in captions] == ["A Soyuz rocket blasts off, April 9, 2021."]
        if name == "rss":
            assert entry.guidislink is False
        else:
            assert entry.updated_parsed[:6] == story.publish_at.utctimetuple()[:6]


def test_guid_survives_a_new_slug_headline_and_section(client, story, make_section):
    _, before = parse(client, reverse("articles:feed_rss"))
    story.headline, story.slug, story.section = "Renamed", "renamed", make_section("World")
    story.save()
    _, after = parse(client, reverse("articles:feed_rss"))
    assert after.entries[0].id == before.entries[0].id
    assert after.entries[0].link != before.entries[0].link


def test_feeds_leave_out_drafts_scheduled_withdrawn_and_other_sections(client, story, make_article, make_section):
    make_article(headline="Draft", status=Article.Status.DRAFT, section=story.section)
    make_article(
        headline="Later",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(hours=1),
        section=story.section,
    )
    make_article(headline="Pulled", status=Article.Status.WITHDRAWN, section=story.section)
    make_article(
        headline="Elsewhere", section=make_section("Sport"), publish_at=timezone.now() - datetime.timedelta(days=1)
    )
    _, section_feed = parse(client, reverse("articles:section_feed_atom", args=[story.section.slug]))
    assert [entry.title for entry in section_feed.entries] == [story.headline]
    _, site_feed = parse(client, reverse("articles:feed_rss"))
    assert [entry.title for entry in site_feed.entries] == [story.headline, "Elsewhere"]


def test_story_without_photo_or_authors(client, make_article):
    make_article(headline="Plain", authors=[], standfirst="")
    _, feed = parse(client, reverse("articles:feed_rss"))
    (entry,) = feed.entries
    assert "author" not in entry
    assert not [link for link in entry.links if link.rel == "enclosure"]
    assert "media_content" not in entry


def test_feed_of_unknown_object_is_404(client, db):
    for name in ("section", "author", "tag"):
        assert client.get(reverse(f"articles:{name}_feed_rss", args=["nope"])).status_code == 404


def test_feed_size_is_limited(client, make_article, settings):
    settings.FEED_SIZE = 3
    for _ in range(5):
        make_article()
    _, feed = parse(client, reverse("articles:feed_atom"))
    assert len(feed.entries) == 3


def test_feed_queries_do_not_grow(client, make_article, make_author, make_tag, make_photo, section):
    photo = make_photo()

    def count(n):
        for _ in range(n):
            make_article(section=section, authors=[make_author(), make_author()], tags=[make_tag(), make_tag()])
            make_article(section=section, lead_photo=photo)
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as captured:
            _, feed = parse(client, reverse("articles:section_feed_rss", args=[section.slug]))
        assert len(feed.entries) >= 2 * n
        return len(captured)

    # 4, one for the photos' renditions, one for the page cache asking when the next scheduled
    # story goes live, one for the breaking-news banner's expiry (once per page generation).
    assert count(1) == count(8) <= 7


def test_autodiscovery_links(client, story):
    author, tag = story.byline_authors[0], story.tags.first()
    pages = {
        reverse("articles:home"): reverse("articles:feed_rss"),
        story.section.get_absolute_url(): reverse("articles:section_feed_rss", args=[story.section.slug]),
        author.get_absolute_url(): reverse("articles:author_feed_rss", args=[author.slug]),
        tag.get_absolute_url(): reverse("articles:tag_feed_rss", args=[tag.slug]),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert f'href="{feed}"' in html
        assert f'href="{feed.replace("/rss/", "/atom/")}"' in html


def test_markup_typed_into_a_standfirst_never_becomes_html_in_a_feed_reader(client, make_article):
    standfirst = 'Cheap <b>tricks</b> & <img src=x onerror="alert(1)">'
    make_article(standfirst=standfirst, publish_at=timezone.now())

    atom = client.get(reverse("articles:feed_atom")).content
    (summary,) = ElementTree.fromstring(atom).iter("{http://www.w3.org/2005/Atom}summary")
    assert (summary.get("type"), summary.text) == ("text", standfirst)
    (entry,) = feedparser.parse(atom).entries
    assert (entry.summary_detail.type, entry.summary) == ("text/plain", standfirst)

    rss = client.get(reverse("articles:feed_rss")).content
    (description,) = ElementTree.fromstring(rss).find("channel/item").iter("description")
    # RSS has no "text" type: readers render a description as HTML, so the text is escaped once more.
    assert description.text == 'Cheap &lt;b&gt;tricks&lt;/b&gt; &amp; &lt;img src=x onerror="alert(1)"&gt;'
    (entry,) = feedparser.parse(rss).entries
    assert "<b>" not in entry.summary and "<img" not in entry.summary
