"""Control characters: stripped from every text field on the way in, and never in a feed or sitemap.

The output tests store the characters the way an import or older data would
(an UPDATE, which no save hook sees), then fetch every feed, the news sitemap
and the story's JSON-LD, and parse them with strict parsers.
"""

import datetime
import json
import re
from xml.etree import ElementTree

import feedparser
import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag
from comments.models import Comment
from newsdesk.text import strip_control_characters
from photos.models import Photo
from tests.articles.test_admin import article_form
from tests.comments.conftest import comment_data, post_comment  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

# Every character XML 1.0 forbids that a database can hold: PostgreSQL refuses NUL in text, and
# neither it nor SQLite stores a lone surrogate.
FORBIDDEN = "".join(chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]) + "\ufffe\uffff"
if connection.vendor != "postgresql":
    FORBIDDEN = "\x00" + FORBIDDEN
# NUL is refused by Django's own form fields with a message; the others are dropped.
C0_C1 = "".join(chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def dirty(text):
    """``text`` with every forbidden character in its middle."""
    return f"{text[:3]}{FORBIDDEN}{text[3:]}"


@pytest.fixture
def dirty_story(make_article, make_section, make_author, make_tag, make_photo):
    """A live story whose every field that a feed, sitemap or JSON-LD shows holds every forbidden
    character, written past the save hooks as an import would."""
    story = make_article(
        headline="Floods close the ring road",
        standfirst="Engineers expect it to reopen on Friday.",
        section=make_section("Local news"),
        authors=[make_author("Jane Doe")],
        tags=[make_tag("Weather")],
        lead_photo=make_photo(caption="Water on the ring road", credit="REUTERS"),
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    Article.objects.filter(pk=story.pk).update(headline=dirty(story.headline), standfirst=dirty(story.standfirst))
    Section.objects.filter(pk=story.section_id).update(name=dirty("Local news"), description=dirty("All local"))
    Author.objects.update(name=dirty("Jane Doe"))
    Tag.objects.update(name=dirty("Weather"))
    Photo.objects.update(caption=dirty("Water on the ring road"), credit=dirty("REUTERS"))
    assert FORBIDDEN in Article.objects.get().headline
    return Article.objects.get()


def strict_xml(response):
    assert response.status_code == 200
    assert not XML_FORBIDDEN.search(response.content.decode())
    return ElementTree.fromstring(response.content)


def test_every_feed_is_well_formed_and_keeps_the_text(client, dirty_story):
    section, tag = dirty_story.section.slug, dirty_story.tags.get().slug
    author = dirty_story.byline_authors[0].slug
    for name in ("rss", "atom"):
        for url in (
            reverse(f"articles:feed_{name}"),
            reverse(f"articles:section_feed_{name}", args=[section]),
            reverse(f"articles:author_feed_{name}", args=[author]),
            reverse(f"articles:tag_feed_{name}", args=[tag]),
        ):
            response = client.get(url)
            root = strict_xml(response)
            feed = feedparser.parse(response.content)
            assert not feed.bozo, (url, feed.get("bozo_exception"))
            entry = feed.entries[0]
            assert entry.title == "Floods close the ring road", url
            assert entry.summary == "Engineers expect it to reopen on Friday."
            assert entry.author == "Jane Doe"
            assert {term.term for term in entry.tags} == {"Local news", "Weather"}
            assert entry.media_content and entry.media_credit[0]["content"] == "REUTERS"
            captions = [caption.text for caption in root.iter("{http://search.yahoo.com/mrss/}description")]
            assert captions == ["Water on the ring road"]
    section_feed = feedparser.parse(client.get(reverse("articles:section_feed_rss", args=[section])).content)
    assert section_feed.feed.title.startswith("Local news")
    assert section_feed.feed.subtitle == "All local"


def test_news_sitemap_is_well_formed(client, dirty_story):
    root = strict_xml(client.get(reverse("articles:news_sitemap")))
    titles = [element.text for element in root.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")]
    assert titles == ["Floods close the ring road"]


def test_sitemaps_are_well_formed(client, dirty_story):
    index = strict_xml(client.get(reverse("sitemap_index")))
    for location in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        strict_xml(client.get(location.text.split("://", 1)[1].split("/", 1)[1].join(["/", ""])))


def test_json_ld_is_valid_json_with_the_text(client, dirty_story):
    page = client.get(dirty_story.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert not XML_FORBIDDEN.search(block)  # JSON escapes them: \u000b
    data = json.loads(block)
    assert XML_FORBIDDEN.sub("", data["headline"]) == "Floods close the ring road"
    assert XML_FORBIDDEN.sub("", data["author"][0]["name"]) == "Jane Doe"


def test_every_text_field_of_every_model_is_cleaned_on_save():
    """A save hook on each model of the three apps that hold what editors and commenters type."""
    for label in ("articles", "photos", "comments"):
        for model in apps.get_app_config(label).get_models():
            receivers = pre_save._live_receivers(model)
            assert strip_control_characters in (receivers[0] if isinstance(receivers, tuple) else receivers), model


def test_admin_story_form_strips_control_characters(client, editor, section, make_author):
    client.force_login(editor)
    data = article_form(
        section,
        make_author(),
        headline=f"Floods{C0_C1}close\tthe\nroad",
        standfirst=f"Engi{C0_C1}neers",
        body=f"<p>One{C0_C1}\ttab</p>\n<p>Two</p>",
    )
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    story = Article.objects.get()
    assert story.headline == "Floodsclose the road"
    assert story.standfirst == "Engineers"
    assert story.body == "<p>One\ttab</p>\n<p>Two</p>"


def test_admin_refuses_a_null_character_with_a_message(client, editor, section, make_author):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"), article_form(section, make_author(), headline="A\x00B")
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_photo_fields_strip_control_characters(make_photo):
    photo = make_photo(caption=f"Water{C0_C1}\x00 rising", credit=f"AFP{C0_C1}", alt_text=f"A{C0_C1} road")
    photo.refresh_from_db()
    assert (photo.caption, photo.credit, photo.alt_text) == ("Water rising", "AFP", "A road")


def test_comment_fields_strip_control_characters(make_article, post_comment):  # noqa: F811
    story = make_article(comments_open=True)
    response = post_comment(story, author_name=f"Ada{C0_C1} Reader", body=f"Line one{C0_C1}\nLine\ttwo")
    assert response.status_code == 302
    comment = Comment.objects.get()
    # The comment form itself turns the separators U+001C to U+001F, which Python counts as spaces, into spaces.
    assert " ".join(comment.author_name.split()) == "Ada Reader"
    assert comment.body.replace(" ", "") == "Lineone\nLine\ttwo"


def test_text_fields_are_all_covered():
    """Lists what the hook covers, so that a new kind of text field cannot slip past unnoticed."""
    kinds = {
        type(field)
        for label in ("articles", "photos", "comments")
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
    }
    assert models.TextField in kinds and models.CharField in kinds
