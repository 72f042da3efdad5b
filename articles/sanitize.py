"""Editor HTML: an allowlist applied on save, and the body split for "Also read".

Body HTML is cleaned once, when it is stored, so that every page view can
render it as-is without paying for sanitizing again.
"""

from html.parser import HTMLParser

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "a",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "br",
        "hr",
        "ul",
        "ol",
        "li",
        "blockquote",
        "cite",
        "q",
        "figure",
        "figcaption",
        "img",
        "code",
        "pre",
        "abbr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height"],
    "blockquote": ["cite"],
    "q": ["cite"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    # A stored embed (see embeds.py): which provider, its id and the address pasted.
    "figure": ["data-embed", "data-id", "data-url"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)

# Elements whose content disappears with them: stripping only the tag would
# leave a script's source code standing in the body as text.
_DROPPED_WITH_CONTENT = ("script", "style", "template", "iframe", "object", "noscript")


class _DropElements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif not self.skipping:
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and tag not in _DROPPED_WITH_CONTENT:
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif not self.skipping:
            self.out.append(f"</{tag}>")

    def _keep(self, text):
        if not self.skipping:
            self.out.append(text)

    handle_data = _keep

    def handle_entityref(self, name):
        self._keep(f"&{name};")

    def handle_charref(self, name):
        self._keep(f"&#{name};")


def clean_html(html):
    """Return editor HTML reduced to the newsroom's allowlist."""
    if not html:
        return ""
    dropper = _DropElements()
    dropper.feed(html)
    dropper.close()
    return _cleaner.clean("".join(dropper.out)).strip()


class _ParagraphEnds(HTMLParser):
    """Record the offset just after each top-level closing </p>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.ends = []
        self._line_offsets = None

    def feed_text(self, html):
        self._line_offsets = [0]
        for line in html.splitlines(keepends=True):
            self._line_offsets.append(self._line_offsets[-1] + len(line))
        self.feed(html)
        self.close()

    def _offset(self):
        line, col = self.getpos()
        return self._line_offsets[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "hr", "img"):
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        if self.depth == 0 and tag == "p":
            self.ends.append(self._offset() + len(f"</{tag}>"))


def paragraph_ends(html):
    """Offsets in ``html`` just after each top-level paragraph."""
    parser = _ParagraphEnds()
    parser.feed_text(html)
    return parser.ends
