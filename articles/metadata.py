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


def description(article):
    """What search engines and social sites show under the headline: the editor's, else the summary."""
    return article.meta_description or summary(article)


def canonical_url(article):
    """The address search engines should index: the original's, for a syndicated story."""
    return article.canonical_url or absolute(article.get_absolute_url())


def author(person):
    return {
        "@type": "Person" if person.is_person else "Organization",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }


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
        "description": description(article),
        "datePublished": iso(article.publish_at),
        "dateModified": iso(article.updated_at or article.publish_at),
        "articleSection": article.section.name,
        "author": [author(person) for person in article.byline_authors],
        "publisher": publisher(),
        "isAccessibleForFree": True,
    }
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    if article.lead_photo:
        data["image"] = [image(article.lead_photo)]
    if article.live_coverage:
        data.update(live_blog(article, url))
    return data


def live_blog(article, url):
    """What turns a NewsArticle into a LiveBlogPosting: coverage times and its updates, newest first."""
    updates = article.live_feed
    data = {"@type": "LiveBlogPosting", "coverageStartTime": iso(article.publish_at)}
    if article.live_ended_at:
        data["coverageEndTime"] = iso(article.live_ended_at)
    if updates:
        data["dateModified"] = iso(max(updates[0].posted_at, article.updated_at or article.publish_at))
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": update.headline or Truncator(plain_text(update.body)).chars(110),
            "url": f"{url}#{update.anchor}",
            "datePublished": iso(update.posted_at),
            "articleBody": plain_text(update.body),
            **({"author": author(update.author)} if update.author else {}),
            **({"image": image(update.photo)} if update.photo else {}),
        }
        for update in updates
    ]
    return data
