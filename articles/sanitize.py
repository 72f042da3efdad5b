"""Editor HTML: an allowlist applied on save, and the body split for "Also read".

Body HTML is cleaned once, when it is stored, so that every page view can
render it as-is without paying for sanitizing again. Cleaning never throws
an editor's words away: markup that would swallow the text after it is
repaired first, and what cannot be repaired is refused with the place where
it goes wrong (``check_body``).
"""

import bisect
import collections
import html as html_lib
import itertools
import operator
import re

import nh3
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

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

# Elements whose content disappears with them: stripping only the tag would
# leave a script's source code standing in the body as text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_PROTOCOLS),
    strip_comments=True,
    link_rel=None,
)


# nh3 spends a microsecond or so on each "&lt;"; a body of a million of them (a paste gone wrong)
# would take most of a second, so they pass through it as a character no editor types.
_LESS_THAN_STAND_IN = "\ue000"


def clean_html(html):
    """Return editor HTML reduced to the newsroom's allowlist, its words kept (see repair_markup)."""
    if not html:
        return ""
    return _clean(repair_markup(html))


def _clean(repaired):
    if _LESS_THAN_STAND_IN in repaired:
        return _cleaner.clean(repaired).strip()
    cleaned = _cleaner.clean(repaired.replace("&lt;", _LESS_THAN_STAND_IN))
    return cleaned.replace(_LESS_THAN_STAND_IN, "&lt;").strip()


# --- Robustness: broken markup must not swallow the text after it. -------------------------------

# Elements whose content a browser reads as raw text up to their end tag, or that the cleaner drops
# with their content: left unclosed, each would take the rest of the body with it.
_SWALLOWING = DROPPED_WITH_CONTENT | {"textarea", "title", "xmp", "noembed", "noframes", "plaintext"}
_SWALLOWING_NAMES = "|".join(sorted(_SWALLOWING))
_SWALLOWING_START = re.compile(rf"<({_SWALLOWING_NAMES})\b[^<>]*+>", re.IGNORECASE)
_SWALLOWING_END = re.compile(rf"</({_SWALLOWING_NAMES})\b[^<>]*+>", re.IGNORECASE)
# Word's "downlevel-revealed" conditionals: the markers go, what is between them is ordinary text.
_CONDITIONAL_MARKER = re.compile(r"<!\[(?:if\b[^\]>]*|endif)\]>", re.IGNORECASE)


# A "<" that cannot start a tag is text to a browser; as a reference it costs the cleaner nothing,
# where thousands of bare ones make it slow.
_STRAY_LESS_THAN = re.compile(r"<(?![A-Za-z/!?])")


def escape_stray_less_than(html):
    return _STRAY_LESS_THAN.sub("&lt;", html)


def repair_markup(html):
    """Make each construct that would hide the rest of the body harmless, keeping the words.

    An unclosed comment loses its ``<!--``; an unclosed script, style, iframe, textarea and the
    like loses its start tag, so what follows is read as ordinary markup; CDATA becomes text.
    Every pass is one linear scan, whatever the input.
    """
    html = _CONDITIONAL_MARKER.sub("", html)
    html = escape_stray_less_than(html)
    html = _cdata_as_text(html)
    html = _unclosed_comments_opened(html)
    return _unclosed_elements_opened(html)


def _cdata_as_text(html):
    """``<![CDATA[...]]>`` is text by definition, which a browser would hide in a bogus comment;
    an unclosed one just loses its marker."""
    parts, position = [], 0
    while (start := html.find("<![CDATA[", position)) != -1:
        end = html.find("]]>", start + 9)
        if end == -1:
            parts.append(html[position:start])
            position = start + 9
            break
        parts += [html[position:start], html_lib.escape(html[start + 9 : end], quote=False)]
        position = end + 3
    return "".join(parts) + html[position:]


def _unclosed_comments_opened(html):
    """A comment runs to the first ``-->`` after it (``<!-->`` is an empty one); one without any
    would hide everything after it, so its opening marker goes."""
    position = 0
    while (start := html.find("<!--", position)) != -1:
        end = html.find("-->", start + 2)
        if end == -1:
            # No later one is closed either; those after the first are shown as typed.
            return html[:start] + html[start + 4 :].replace("<!--", "&lt;!--")
        position = end + 3
    return html


def _unclosed_elements_opened(html):
    """Drop the start tags of swallowing elements that no end tag follows (``<plaintext>`` never ends)."""
    last_end = {}
    for match in _SWALLOWING_END.finditer(html):
        last_end[match.group(1).lower()] = match.start()

    def keep_if_closed(match):
        name = match.group(1).lower()
        closed = name != "plaintext" and last_end.get(name, -1) > match.start()
        return match.group(0) if closed else ""

    return _SWALLOWING_START.sub(keep_if_closed, html)


# --- Robustness: what would still be lost, or would take too long, is refused. -------------------

# A long read is some 50 kB of HTML; this leaves room for twenty of them in one story.
MAX_BODY_CHARACTERS = 1_000_000
MAX_NESTING = 100

# What a reader does not see. Complete comments and the elements dropped with their content are
# found by _hidden_blocks; then declarations and bogus comments (<!DOCTYPE>, <![>, <?xml>), tags,
# whose quoted values may hold ">" but not "<" (a "<" there means a quote was left open), and a tag
# cut off at the very end. Possessive quantifiers and runs that stop at "<" keep every scan linear.
_BLOCK_START = re.compile(rf"<!--|<({'|'.join(sorted(DROPPED_WITH_CONTENT))})\b[^<>]*+>", re.IGNORECASE)
_BLOCK_END = {name: re.compile(rf"</{name}\b[^<>]*+>", re.IGNORECASE) for name in DROPPED_WITH_CONTENT}
_HIDDEN = re.compile(
    r"<!(?!--)[^<>]*+>|<\?[^<>]*+>"
    r"|</?[A-Za-z][^\s/<>]*+"
    r"(?:\s++[^\s\"'>/=]++(?:\s*+=\s*+(?:\"[^\"<]*+\"|'[^'<]*+'|[^\s<>]++))?+|\s*+/)*+\s*+>"
    r"|<[A-Za-z][^<>]*+\Z"
)
_REFERENCE = re.compile(r"&#?\w+;?")
_WORD = re.compile(r"\w+")
# Elements that have no content, and those whose end tag a browser supplies by itself: neither nests.
_NOT_NESTING = [
    "p",
    "li",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "tfoot",
    "option",
    "optgroup",
    "rb",
    "rt",
    "rp",
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "col",
    "area",
    "base",
    "embed",
    "source",
    "track",
    "wbr",
]
_NESTING_TAG = re.compile(rf"<(/?)(?=[A-Za-z])(?!(?:{'|'.join(_NOT_NESTING)})[\s/>])", re.IGNORECASE)


def _hidden_blocks(html):
    """(start, end) of each complete comment and dropped element, content included, in one pass:
    once one kind has no end left, later starts of that kind are not searched again."""
    position, unended = 0, set()
    while match := _BLOCK_START.search(html, position):
        kind = (match.group(1) or "!--").lower()
        end = -1
        if kind not in unended:
            if kind == "!--":
                found = html.find("-->", match.start() + 2)
                end = found + 3 if found != -1 else -1
            elif found := _BLOCK_END[kind].search(html, match.end()):
                end = found.end()
        if end == -1:
            unended.add(kind)
            position = match.end()
            continue
        yield match.start(), end
        position = end


def _visible_pieces(html):
    """The runs of ``html`` a reader sees, with their offsets."""
    position = 0
    for block_start, block_end in [*_hidden_blocks(html), (len(html), len(html))]:
        segment = html[position:block_start]
        inner = 0
        for match in _HIDDEN.finditer(segment):
            yield segment[inner : match.start()], position + inner
            inner = match.end()
        yield segment[inner:], position + inner
        position = block_end


def visible_words(html):
    """The words a reader sees in ``html``, and a function giving (about) where the n-th starts in ``html``.

    Tags and comments do not separate words (``a<b>x</b>`` reads "ax"), so the runs between them
    are joined. Only the word asked for is located: a body has some hundred thousand.
    """
    texts, starts, text_starts, length = [], [], [], 0
    for piece, start in _visible_pieces(html):
        text = html_lib.unescape(piece) if "&" in piece else piece
        texts.append(text)
        starts.append(start)
        text_starts.append(length)
        length += len(text)
    joined = "".join(texts)

    def offset(n):
        match = next(itertools.islice(_WORD.finditer(joined), n, None))
        piece = bisect.bisect_right(text_starts, match.start()) - 1
        return starts[piece] + match.start() - text_starts[piece]

    return _WORD.findall(joined), offset


def check_size(html):
    """Refuses, in a few milliseconds whatever the input, a body too long or too deeply nested to
    clean quickly: both are pastes gone wrong."""
    if len(html) > MAX_BODY_CHARACTERS:
        raise ValidationError(
            "The body is %(size)s of text and markup; a story may have at most %(max)s. "
            "If this came from a paste, paste it again as plain text or in parts.",
            code="too_long",
            params={"size": filesizeformat(len(html.encode())), "max": filesizeformat(MAX_BODY_CHARACTERS)},
        )
    _check_nesting(html)


def check_body(html):
    """The body cleaned, or a ValidationError saying where its markup would lose the editor's words."""
    check_size(html)
    repaired = repair_markup(html)
    cleaned = _clean(repaired)
    kept = _word_counts(cleaned, _unescape_serialized)
    if _word_counts(repaired, _unescape) - kept:
        word, offset = _first_lost_word(repaired, kept)
        raise ValidationError(
            "Nothing was saved: broken markup near line %(line)d, column %(column)d would lose the words "
            "from “%(word)s” on: %(excerpt)s Check that each tag there ends with “>” and each quote is closed.",
            code="lost_text",
            params={**_place(repaired, offset), "word": word, "excerpt": _excerpt(repaired, offset)},
        )
    return cleaned


def _word_counts(html, unescape):
    segments, position = [], 0
    for start, end in [*_hidden_blocks(html), (len(html), len(html))]:
        segments.append(_HIDDEN.sub("", html[position:start]))
        position = end
    return collections.Counter(_WORD.findall(unescape("".join(segments))))


def _unescape(text):
    """``html.unescape`` after the commonest references, which cannot form new ones, are replaced at
    C speed: a paste of a million "&lt;" otherwise takes a third of a second here."""
    return html_lib.unescape(text.replace("&lt;", "<").replace("&gt;", ">"))


def _unescape_serialized(text):
    """The cleaner's output holds only these references: replacing them is much faster than unescape."""
    for reference, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&nbsp;", "\xa0"), ("&amp;", "&")):
        text = text.replace(reference, character)
    return text


def _first_lost_word(html, kept):
    kept = kept.copy()
    words, offset = visible_words(html)
    for n, word in enumerate(words):
        if not kept[word]:
            return word, offset(n)
        kept[word] -= 1
    return "", 0


def _check_nesting(html):
    """Depth counted over start and end tags (never below 0, so stray end tags cannot hide what
    follows), with C-level passes only: it runs on every save, whatever the body's size."""
    steps = [-1 if slash else 1 for slash in _NESTING_TAG.findall(html)]
    totals = list(itertools.accumulate(steps))
    floors = itertools.accumulate(totals, min, initial=0)
    next(floors)
    if max(map(operator.sub, totals, (min(floor, 0) for floor in floors)), default=0) <= MAX_NESTING:
        return
    depth = 0
    for match in _NESTING_TAG.finditer(html):
        depth = max(depth + (-1 if match.group(1) else 1), 0)
        if depth > MAX_NESTING:
            raise ValidationError(
                "The body's markup nests more than %(max)d elements deep at line %(line)d, column %(column)d: "
                "a paste probably went wrong. Paste it again as plain text.",
                code="too_deep",
                params={**_place(html, match.start()), "max": MAX_NESTING},
            )


def _place(html, offset):
    line = html.count("\n", 0, offset) + 1
    return {"line": line, "column": offset - (html.rfind("\n", 0, offset) + 1) + 1}


def _excerpt(html, offset):
    """The markup just before the lost word and the word itself, as the editor typed it."""
    start = html.rfind("<", max(0, offset - 80), offset)
    start = offset - 40 if start == -1 else start
    return "“" + " ".join(html[max(0, start) : offset + 20].split()) + "…”"


# A tag as the cleaner writes it: attribute values are always double-quoted (and may hold ">").
_SERIALIZED_TAG = re.compile(r'<(/?)([A-Za-z][\w-]*)(?:\s+[^\s"=/>]+(?:="[^"]*+")?)*+\s*/?>')


def paragraph_ends(html):
    """Offsets in ``html`` (as stored: the cleaner's output) just after each top-level ``</p>``.

    One scan of the tags: a parser would spend a call on every character reference of the text."""
    depth, ends = 0, []
    for match in _SERIALIZED_TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            depth -= 1
            if depth == 0 and name == "p":
                ends.append(match.end())
        elif name not in ("br", "hr", "img"):
            depth += 1
    return ends
