"""What search engines, feed readers and social sites read about the site and its stories."""

import html
import json
import re
from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator

# Characters that could end or confuse a <script> block, as JSON escapes; so are the C1 controls and
# noncharacters that older or imported rows may hold, which HTML does not allow as they are.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    | {chr(code): f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), 0xFFFE, 0xFFFF]}
)


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|div)>|<br\s*/?>", re.IGNORECASE)


def plain_text(markup):
    """Readable text of some HTML: tags gone, entities decoded, blocks kept apart by a space."""
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(" ", markup))).split())


def absolute(url):
    """``url`` made absolute against SITE_URL; already absolute ones (object storage, CDN) stay as they are."""
    return urljoin(settings.SITE_URL + "/", url)


def script_json(data):
    """``data`` as JSON that is safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)


def publisher():
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": absolute(static(settings.SITE_LOGO))},
    }


def image(photo):
    data = {"@type": "ImageObject", "url": absolute(photo.image.url)}
    if photo.width:
        data.update(width=photo.width, height=photo.height)
    if photo.caption:
        data["caption"] = photo.caption
    if photo.credit:
        data["creditText"] = photo.credit
    return data


def summary(article):
    """What describes a story in one or two sentences: its standfirst, else the start of its text."""
    return article.standfirst or Truncator(plain_text(article.body)).chars(300)


def iso(moment):
    return moment.isoformat(timespec="seconds") if moment else None


def news_article(article):
    """schema.org NewsArticle for a story page, built from what ``for_page`` already fetched."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": summary(article),
        "datePublished": iso(article.publish_at),
        "dateModified": iso(article.updated_at or article.publish_at),
        "articleSection": article.section.name,
        "author": [
            {
                "@type": "Person" if author.is_person else "Organization",
                "name": author.name,
                "url": absolute(author.get_absolute_url()),
            }
            for author in article.byline_authors
        ],
        "publisher": publisher(),
        "isAccessibleForFree": True,
    }
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    if article.lead_photo:
        data["image"] = [image(article.lead_photo)]
    return data
