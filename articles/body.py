"""What the story form does to a body before it is stored.

The editor sends HTML, or plain text when JavaScript is off and someone
typed or pasted into the bare textarea. Either way the body that reaches
the sanitizer has its paragraphs, its embeds in their stored form, and no
script or frame; anything the newsroom will not keep is a form error that
says what to change, rather than a silent drop.
"""

import html
import re

from django.core.exceptions import ValidationError

from . import embeds, paste, sanitize

_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][\w:-]*|/[a-zA-Z]|!--)")
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?(?:</iframe\s*>|$)", re.IGNORECASE | re.DOTALL)
_OTHER_PLUGIN = re.compile(r"<(?:object|embed|applet)\b", re.IGNORECASE)
_LONE_URL = re.compile(
    r"<p>\s*(?:<a\b[^>]*>\s*)?(?P<url>(?:https?|javascript|data):[^\s<>\"]+)\s*(?:</a>\s*)?</p>", re.IGNORECASE
)
_STORED = re.compile(r"<figure\b[^>]*\bdata-embed(?:=\"[^\"]*\")?[^>]*>.*?</figure>", re.IGNORECASE | re.DOTALL)
_DATA_URL = re.compile(r'\bdata-url="([^"]*)"')


def paragraphs_from_text(text):
    """Plain text as paragraphs: a blank line starts a new one, a single line break stays a break."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))]
    return "".join(f"<p>{'<br>'.join(map(html.escape, block.splitlines()))}</p>" for block in blocks if block)


def _embed_or_error(url, errors):
    try:
        return embeds.parse(url).as_stored()
    except embeds.EmbedError as error:
        errors.append(str(error))
        return ""


def prepare(body):
    """The body ready for the sanitizer, or ValidationError listing everything that must change first.

    Its size and nesting were checked by ``sanitize.check_body`` already, so every pass here is bounded.
    """
    body = body or ""
    if not _LOOKS_LIKE_HTML.search(body):
        body = paragraphs_from_text(body)
        sanitize.check_size(body)
    body = paste.normalise(sanitize.escape_stray_less_than(body))
    errors = []
    if _SCRIPT.search(body):
        errors.append(
            "The body contains a script, which is never kept. To embed a post, paste its address on a line "
            f"of its own instead of its embed code. Embeds are accepted from: {embeds.SUPPORTED}."
        )
    if _OTHER_PLUGIN.search(body):
        errors.append("The body contains a plug-in object (object, embed or applet), which is never kept.")

    def from_iframe(found):
        url = embeds.iframe_url(re.findall(r'([\w-]+)\s*=\s*["\']([^"\']*)["\']', found.group(1)))
        return _embed_or_error(url, errors)

    def from_lone_url(found):
        url = html.unescape(found.group("url"))
        if url.lower().startswith(("javascript:", "data:")) or embeds.looks_like_provider(url):
            return _embed_or_error(url, errors)
        return found.group(0)

    def from_stored(found):
        url = _DATA_URL.search(found.group(0))
        return _embed_or_error(html.unescape(url.group(1)) if url else "", errors)

    body = _IFRAME.sub(from_iframe, body)
    body = _STORED.sub(from_stored, body)
    body = _LONE_URL.sub(from_lone_url, body)
    count = body.count("<figure data-embed=")
    if count > embeds.MAX_EMBEDS:
        errors.append(
            f"The body has {count} embeds; a story can carry at most {embeds.MAX_EMBEDS}, "
            "each being a frame from another site that readers load."
        )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return body
