"""RSS 2.0 and Atom feeds of the latest stories: the whole site, a section, an author, a tag."""

import mimetypes
from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from newsdesk.text import xml_safe
from pagecache.pages import tag

from .metadata import absolute, describe, home_description
from .models import Article, Author, Section, Tag

MEDIA_RSS = "http://search.yahoo.com/mrss/"


class MediaRssMixin:
    """Adds the lead photo as Media RSS ``media:content``, with its caption and credit."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        photo = item.get("photo")
        if not photo:
            return
        attrs = {"url": photo["url"], "medium": "image", "type": photo["type"]}
        if photo["width"]:
            attrs.update(width=str(photo["width"]), height=str(photo["height"]))
        handler.startElement("media:content", attrs)
        if photo["caption"]:
            handler.addQuickElement("media:description", photo["caption"])
        if photo["credit"]:
            handler.addQuickElement("media:credit", photo["credit"])
        handler.endElement("media:content")


class RssFeed(MediaRssMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        """Readers take an RSS description for HTML: the plain-text standfirst goes out escaped, to show as typed."""
        description = item["description"]
        super().add_item_elements(
            handler, {**item, "description": None if description is None else escape(description, quote=False)}
        )


class AtomFeed(MediaRssMixin, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        """The standfirst is plain text, and says so: markup typed into it never becomes HTML in a reader.

        Each author of the byline is an <author> of its own, as Atom has them (RSS gets one line of names).
        """
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        for name, link in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", link)
            handler.endElement("author")
        super().add_item_elements(handler, {**item, "description": None, "author_name": None})


class SiteFeed(Feed):
    """The latest live stories of the whole site; subclasses narrow them down to one object's."""

    def __init__(self, feed_type=RssFeed):
        self.feed_type = feed_type

    def get_feed(self, obj, request):
        """Every string of the feed and its items is made XML-safe: older or imported rows may hold
        characters XML 1.0 forbids, which would make Django refuse to write the feed."""
        feed = super().get_feed(obj, request)
        tag(request, self.list_tag(obj))
        for item in feed.items:
            tag(request, *item.pop("page_tags"))
        feed.feed["feed_url"] = absolute(request.path)
        feed.feed = xml_safe(feed.feed)
        feed.items = xml_safe(feed.items)
        return feed

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return absolute("/")

    def description(self, obj):
        return home_description()

    def subtitle(self, obj):
        return self.description(obj)

    def stories(self, obj):
        return Article.objects.published()

    def list_tag(self, obj):
        """The tag of the list of stories this feed shows (see views.listing)."""
        return "feeds"

    def items(self, obj):
        return self.stories(obj).for_listing().prefetch_related("tags").latest_first()[: settings.FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        """The story's id address: it survives changes of headline, slug, section and date."""
        return absolute(reverse("articles:story_by_id_bare", args=[item.pk]))

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at or item.publish_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline_authors) or None

    def item_author_link(self, item):
        authors = item.byline_authors
        return absolute(authors[0].get_absolute_url()) if authors else None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosure_url(self, item):
        return absolute(item.lead_photo.image.url) if item.lead_photo else None

    def item_enclosure_length(self, item):
        """The photo's size in bytes, or 0 (allowed by readers) when storage cannot tell."""
        try:
            return item.lead_photo.image.size
        except OSError:
            return 0

    def item_enclosure_mime_type(self, item):
        return mimetypes.guess_type(item.lead_photo.image.name)[0] or "image/jpeg"

    def item_extra_kwargs(self, item):
        """The lead photo for Media RSS, the byline's authors for Atom, and what the item shows, for ``get_feed``
        to tag the feed with."""
        extra = {
            "page_tags": [*item.shown_tags(), *(f"tag:{tag.pk}" for tag in item.tags.all())],
            "authors": [(author.name, absolute(author.get_absolute_url())) for author in item.byline_authors],
        }
        photo = item.lead_photo
        if not photo:
            return extra
        return {
            **extra,
            "photo": {
                "url": absolute(photo.image.url),
                "type": self.item_enclosure_mime_type(item),
                "width": photo.width,
                "height": photo.height,
                "caption": photo.caption,
                "credit": photo.credit,
            },
        }


class ObjectFeed(SiteFeed):
    """The latest stories of one section, author or tag, found by its slug."""

    model = None
    story_filter = None
    kind = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return f"{obj.name} — {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def description(self, obj):
        return describe(self.kind, obj)

    def stories(self, obj):
        return Article.objects.published().filter(**{self.story_filter: obj})

    def list_tag(self, obj):
        return f"{self.kind}:{obj.pk}"


class SectionFeed(ObjectFeed):
    model, story_filter, kind = Section, "section", "section"


class AuthorFeed(ObjectFeed):
    model, story_filter, kind = Author, "bylines__author", "author"


class TagFeed(ObjectFeed):
    model, story_filter, kind = Tag, "tags", "tag"
