"""Reading WordPress export files (WXR 1.0, 1.1 and 1.2) as a stream, safely.

The file is parsed with lxml's iterparse (libxml2, several times faster than
expat through ElementTree) set up as safely as defusedxml would be: nothing
is loaded from the network or the disk, entities are not expanded, and a
document with a DOCTYPE (where entities, the "billion laughs" and external
references are declared; WordPress never writes one) is refused at its first
element, before any item is read. Each ``<item>`` is turned into a plain
dict and dropped from the tree as soon as it is read, so memory stays flat
whatever the file's size.
"""

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(1\.[012])/$")
PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
VERSIONS = ("1.0", "1.1", "1.2")
SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


class UnsafeXml(Exception):
    """The document declares a DOCTYPE, where entities and external references live."""


class RefusedFile(Exception):
    """The file is not a WordPress export that can be read; nothing was imported."""


@functools.lru_cache(maxsize=512)
def local_name(tag):
    """``{namespace}name`` as ``prefix:name``: the WordPress namespace differs between WXR versions."""
    if not tag.startswith("{"):
        return tag
    namespace, name = tag[1:].split("}", 1)
    if WP_NAMESPACE.match(namespace):
        return f"wp:{name}"
    if re.match(r"^http://wordpress\.org/export/1\.[012]/excerpt/$", namespace):
        return f"excerpt:{name}"
    prefix = PREFIXES.get(namespace)
    return f"{prefix}:{name}" if prefix else name


def _text(element):
    return element.text or ""


def _children(element):
    return {local_name(child.tag): _text(child) for child in element}


def item_dict(element):
    """An ``<item>`` as a dict: its simple fields, categories, post meta and comments."""
    item = {"categories": [], "meta": {}, "comments": []}
    for child in element:
        name = local_name(child.tag)
        if name == "category":
            domain = child.get("domain") or "category"
            item["categories"].append(
                {
                    "domain": "post_tag" if domain == "tag" else domain,
                    "slug": child.get("nicename", ""),
                    "name": _text(child),
                }
            )
        elif name == "wp:postmeta":
            meta = _children(child)
            item["meta"][meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            comment = {}
            for part in child:
                part_name = local_name(part.tag)
                if part_name == "wp:commentmeta":
                    continue
                comment[part_name.removeprefix("wp:")] = _text(part)
            item["comments"].append(comment)
        else:
            item[name] = _text(child)
    return item


@dataclass
class Channel:
    """What the channel says before its items: the version, the site, its authors and terms."""

    version: str = ""
    title: str = ""
    base_url: str = ""
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)


def read(path, parse_item=None):
    """Yield ("channel", Channel) once the items start (or at the end), then ("item", dict) for each item.

    Raises RefusedFile for what is not well-formed XML, not a WordPress
    export, or uses entities or external references.
    """
    channel = Channel()
    stack = []
    channel_element = None
    sent_channel = False
    try:
        for event, element in etree.iterparse(str(path), events=("start", "end"), **SAFE):
            name = local_name(element.tag)
            if event == "start":
                if not stack:
                    _check_no_doctype(element)
                if not stack and name != "rss":
                    raise RefusedFile(f"This is not a WordPress export: the document is <{name}>, not <rss>.")
                stack.append(name)
                if name == "channel":
                    channel_element = element
                if name == "item" and not sent_channel:
                    _check_channel(channel)
                    sent_channel = True
                    yield "channel", channel
                continue
            stack.pop()
            parent = stack[-1] if stack else None
            if parent != "channel":
                continue
            if name == "item":
                yield "item", (parse_item or item_dict)(element)
            else:
                _read_channel_field(channel, name, element)
            channel_element.remove(element)
    except etree.XMLSyntaxError as error:
        raise RefusedFile(f"This file is not well-formed XML (it may be truncated): {error}.") from error
    except UnsafeXml as error:
        raise RefusedFile(f"This file uses XML features refused for safety ({error}).") from error
    except (OSError, UnicodeError) as error:
        raise RefusedFile(f"This file cannot be read: {error}.") from error
    if not sent_channel:
        _check_channel(channel)
        yield "channel", channel


def _check_no_doctype(root):
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.system_url:
        raise UnsafeXml("a DOCTYPE, which may declare entities or load an external DTD")


def _check_channel(channel):
    if channel.version not in VERSIONS:
        if channel.version:
            raise RefusedFile(f"WXR version {channel.version} is not supported (1.0, 1.1 and 1.2 are).")
        raise RefusedFile("This is not a WordPress export: the channel has no <wp:wxr_version>.")


def _read_channel_field(channel, name, element):
    if name == "wp:wxr_version":
        channel.version = _text(element).strip()
    elif name == "title":
        channel.title = _text(element).strip()
    elif name == "wp:base_blog_url" or (name in ("wp:base_site_url", "link") and not channel.base_url):
        channel.base_url = _text(element).strip()
    elif name == "wp:author":
        channel.authors.append(_children(element))
    elif name == "wp:category":
        channel.categories.append(_children(element))
    elif name == "wp:tag":
        channel.tags.append(_children(element))


def survey(path, keep=None, limit=50_000):
    """Read the whole file once without keeping it: refuse it if it is broken, else count its items by type.

    Returns (channel, counts, kept): the items of post type ``keep`` as dicts,
    so that they need not be read again, or None if there are more than
    ``limit`` of them (memory stays bounded; the caller reads them again).
    """
    counts, kept = {}, []
    channel = None

    def look(element):
        nonlocal kept
        post_type, comments = kinds_in(element)
        if post_type == keep and kept is not None:
            kept.append(item_dict(element))
            if len(kept) > limit:
                kept = None
        return post_type, comments

    for kind, value in read(path, parse_item=look):
        if kind == "channel":
            channel = value
        else:
            post_type, comments = value
            counts[post_type] = counts.get(post_type, 0) + 1
            counts["comments"] = counts.get("comments", 0) + comments
    return channel, counts, kept if keep else None


def kinds_in(element):
    """(post type, number of comments) of an ``<item>``, without building its dict."""
    post_type, comments = "post", 0
    for child in element:
        name = local_name(child.tag)
        if name == "wp:post_type":
            post_type = _text(child).strip()
        elif name == "wp:comment":
            comments += 1
    return post_type, comments
