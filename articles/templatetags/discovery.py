from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
