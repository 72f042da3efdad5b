from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from photos.models import Photo

from .. import metadata
from ..search import MARK_START, MARK_STOP

register = template.Library()


@register.filter
def marked(text):
    """Search text with its matches in <mark>; everything else is escaped plain text."""
    plain = escape(metadata.plain_text(text or ""))
    return mark_safe(plain.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


@register.filter
def absolute(url):
    return metadata.absolute(url)


@register.filter
def iso(moment):
    """A moment for a <time datetime> or a meta tag: ISO 8601 to the second (HTML allows at most milliseconds)."""
    return metadata.iso(moment) or ""


@register.filter
def summary(article):
    return metadata.summary(article)


@register.filter
def description(article):
    return metadata.description(article)


@register.filter
def canonical_url(article):
    return metadata.canonical_url(article)


@register.simple_tag
def news_article_json(article):
    """The story's NewsArticle structured data, ready for a <script type="application/ld+json">."""
    return mark_safe(metadata.script_json(metadata.news_article(article)))


@register.filter
def describe(obj, kind):
    """What a section, author or tag page says it is (``{{ section|describe:"section" }}``)."""
    return metadata.describe(kind, obj)


@register.filter
def photo_url(photo):
    """The absolute address of a photo's image, or "" without a photo (then the site image stands in)."""
    return metadata.absolute(photo.picture(Photo.SERVED)["src"]) if photo else ""


@register.filter
def twitter_creator(article):
    """The X/Twitter account of the story's first author who gave one, for twitter:creator."""
    return next((author.twitter for author in article.byline_authors if author.twitter), "")


@register.simple_tag
def site_image_url():
    return metadata.site_image_url()


@register.simple_tag
def home_description():
    return metadata.home_description()


@register.filter
def period_name(start, period):
    return metadata.period_name(start, period)


@register.simple_tag
def archive_description(start=None, period=None):
    return metadata.archive_description(start, period or None)


@register.simple_tag(takes_context=True)
def collection_json(context, title, description, stories, home=False, years=None):
    """A list page's CollectionPage (with the WebSite on the front page), for a <script type="application/ld+json">:
    its ItemList holds the page's stories, or on the archive's index its ``years``."""
    if years:
        entries = [(str(year), reverse("articles:archive_year", args=[year])) for year, _total, _months in years]
    else:
        entries = [(story.headline, story.get_absolute_url()) for story in stories]
    url = context["request"].get_full_path()
    return mark_safe(metadata.script_json(metadata.collection_page(title, url, description, entries, home=bool(home))))


@register.simple_tag
def breadcrumbs_json(article):
    return mark_safe(metadata.script_json(metadata.breadcrumbs(article)))
