"""What search engines, feed readers and social sites read about the site and its stories."""

import html
import json
import re
from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale

from photos.models import Photo, Rendition

# Characters that could end or confuse a <script> block, as JSON escapes; so are the C1 controls and
# noncharacters that older or imported rows may hold, which HTML does not allow as they are.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    | {chr(code): f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), 0xFFFE, 0xFFFF]}
)


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
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


# The crops of a lead photo offered to search engines, which show a story in any of these shapes.
SCHEMA_CROPS = [Rendition.Kind.CARD, Rendition.Kind.FOUR_THREE, Rendition.Kind.SQUARE]

# What list pages (and their feeds) say they are, when the newsroom has not said more.
ABOUT = {
    "section": _("The latest %(name)s stories from %(site)s"),
    "author": _("The latest stories by %(name)s in %(site)s"),
    "tag": _("The latest stories about %(name)s in %(site)s"),
}


def locale():
    """The site's language as OpenGraph writes it (en_US), from LANGUAGE_CODE."""
    return to_locale(settings.LANGUAGE_CODE)


def site_image_url():
    """The picture of pages without one of their own (SITE_IMAGE, a static file)."""
    return absolute(static(settings.SITE_IMAGE))


def site_image():
    return {"@type": "ImageObject", "url": site_image_url()}


def images(photo):
    """ImageObjects of a photo's 16:9, 4:3 and 1:1 crops, widest JPEG of each; the photo itself before they exist.

    Reads what the photo keeps of its renditions (``Photo.picture``): no query.
    """
    crops = [photo.picture(kind) for kind in SCHEMA_CROPS]
    found = [(crop["widest"], crop["width"], crop["height"]) for crop in crops if "widest" in crop]
    if not found:
        served = photo.picture(Photo.SERVED)
        found = [(served["src"], served["width"], served["height"])]
    data = []
    for url, width, height in found:
        item = {"@type": "ImageObject", "url": absolute(url)}
        if width:
            item.update(width=width, height=height)
        if photo.caption:
            item["caption"] = photo.caption
        if photo.credit:
            item["creditText"] = photo.credit
        data.append(item)
    return data


def describe(kind, obj):
    """The description of a section, author or tag page (and feed): its own words, else ``ABOUT``'s."""
    own = {"section": getattr(obj, "description", ""), "author": getattr(obj, "bio", "")}.get(kind)
    if own:
        # Line breaks of a bio become spaces; other control characters are left for xml_safe to drop.
        return Truncator(_LINE_BREAKS.sub(" ", own.strip())).chars(300)
    return ABOUT[kind] % {"name": obj.name, "site": settings.SITE_NAME}


def home_description():
    return settings.SITE_TAGLINE or _("The latest stories from %(site)s") % {"site": settings.SITE_NAME}


def period_name(start, period):
    """How a date archive names its day, month or year, in the site's language ("March 1, 2022")."""
    return formats.date_format(start, {"day": "DATE_FORMAT", "month": "YEAR_MONTH_FORMAT", "year": "Y"}[period])


def archive_description(start=None, period=None):
    """What a date archive (or, without a period, the archive's index) says it is."""
    if period is None:
        return _("Every year and month of %(site)s stories, with how many were published") % {
            "site": settings.SITE_NAME
        }
    return _("All the stories of %(period)s in the archive of %(site)s") % {
        "period": period_name(start, period),
        "site": settings.SITE_NAME,
    }


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
    data["image"] = images(article.lead_photo) if article.lead_photo else [site_image()]
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
            **({"image": images(update.photo)} if update.photo else {}),
        }
        for update in updates
    ]
    return data


def breadcrumbs(article):
    """schema.org BreadcrumbList of a story: the front page, its section, the story."""
    trail = [
        (settings.SITE_NAME, absolute(reverse("articles:home"))),
        (article.section.name, absolute(article.section.get_absolute_url())),
        (article.headline, absolute(article.get_absolute_url())),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def website():
    """schema.org WebSite with the SearchAction that lets a search engine offer a search box for the site."""
    return {
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute(reverse("articles:home")),
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(reverse("articles:search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def collection_page(name, url, description, entries, home=False):
    """schema.org for a list page: a CollectionPage whose ItemList holds its ``entries`` ((name, address)
    pairs: its stories, or the archive's years), and the Organization; the front page adds the WebSite."""
    page = {
        "@type": "CollectionPage",
        "name": name,
        "url": absolute(url),
        "description": description,
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute(reverse("articles:home"))},
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "url": absolute(address), "name": entry}
                for position, (entry, address) in enumerate(entries, start=1)
            ],
        },
    }
    graph = [website(), page] if home else [page, publisher()]
    return {"@context": "https://schema.org", "@graph": graph}
