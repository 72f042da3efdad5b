"""Clipboard HTML from word processors and web pages, brought to the markup the body keeps.

Google Docs marks bold and italics with styled spans and wraps a whole
paste in a ``<b style="font-weight:normal">``; Word writes lists as
paragraphs with ``mso-list`` styles and a bullet in a conditional
comment, and its review comments as text between conditional comments;
web pages carry tracking pixels. The sanitizer would strip all of
that to bare text, so this turns the meaning into tags first: styled spans
into ``strong``/``em``, Word's list paragraphs into lists, a level-one
heading into a sub-head. Fonts, styles, classes and comments are then left
for the sanitizer to drop.
"""

import re

_DOCS_WRAPPER = re.compile(r"<b\b[^>]*\bid=\"docs-internal-guid-[^\"]*\"[^>]*>(.*)</b>", re.IGNORECASE | re.DOTALL)
_STYLED_SPAN = re.compile(r"<span\b[^>]*\bstyle=(\"[^\"]*\"|'[^']*')[^>]*>([^<]*)</span>", re.IGNORECASE)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_ITALIC = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)
_H1 = re.compile(r"<(/?)h1\b[^>]*>", re.IGNORECASE)
_WORD_LIST_ITEM = re.compile(r"<p\b[^>]*mso-list:[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_WORD_MARKER = re.compile(
    r"<!(?:--)?\[if !supportLists\](?:--)?>(.*?)<!(?:--)?\[endif\](?:--)?>", re.IGNORECASE | re.DOTALL
)
# Word's review comments and their [JD1] markers sit between these conditional comments.
_WORD_ANNOTATION = re.compile(r"<!\[if !supportAnnotations\]>.*?<!\[endif\]>", re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<head\b.*?</head\s*>", re.IGNORECASE | re.DOTALL)
_ORDERED_MARKER = re.compile(r"^\s*(?:\d+|[a-z]|[ivx]+)[.)]", re.IGNORECASE)
_WORD_LIST_RUN = re.compile(r"(?:<p\b[^>]*mso-list:[^>]*>.*?</p>\s*)+", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_PIXEL = re.compile(
    r"<img\b(?=[^>]*\b(?:width|height)=[\"']?[0-2](?:px)?[\"'\s/>])[^>]*>|<img\b[^>]*display\s*:\s*none[^>]*>",
    re.IGNORECASE,
)
# Line breaks between blocks, as Google Docs leaves between paragraphs and at the end of a paste.
_BREAK_BETWEEN_BLOCKS = re.compile(r"(?<=>)\s*<br\b[^>]*>\s*(?=<(?:p|h[1-6]|ul|ol|blockquote)\b|$)", re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(r"<p\b[^>]*>(?:\s|&nbsp;|&#160;|<br\s*/?>|<o:p>\s*(?:&nbsp;)?\s*</o:p>)*</p>", re.I)


def _span_as_tags(found):
    style, text = found.group(1), found.group(2)
    if _BOLD.search(style):
        text = f"<strong>{text}</strong>"
    if _ITALIC.search(style):
        text = f"<em>{text}</em>"
    return text


def _word_list(found):
    run = found.group(0)
    markers = [_TAGS.sub("", marker) for marker in _WORD_MARKER.findall(run)]
    tag = "ol" if markers and _ORDERED_MARKER.match(markers[0].replace("&nbsp;", " ")) else "ul"
    items = [_WORD_MARKER.sub("", item).strip() for item in _WORD_LIST_ITEM.findall(run)]
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def normalise(html):
    """Pasted HTML with its formatting expressed in tags the sanitizer keeps."""
    html = _HEAD.sub("", html)
    html = _WORD_ANNOTATION.sub("", html)
    html = _DOCS_WRAPPER.sub(r"\1", html)
    html = _WORD_LIST_RUN.sub(_word_list, html)
    html = _STYLED_SPAN.sub(_span_as_tags, html)
    html = _H1.sub(r"<\1h2>", html)
    html = _PIXEL.sub("", html)
    html = _BREAK_BETWEEN_BLOCKS.sub("", html)
    return _EMPTY_PARAGRAPH.sub("", html)
