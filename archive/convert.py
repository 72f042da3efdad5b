"""WordPress post content as the site's own body HTML.

WordPress stores classic posts with bare line breaks (it adds paragraphs when
it shows them), shortcodes such as [caption] and [gallery], and block-editor
posts wrapped in ``<!-- wp:... -->`` comments. This turns all of them into
the site's own body: paragraphs; embeds of the providers the story editor
knows (a link otherwise); captioned images, image blocks and galleries of
imported photos as the story's photos in the body, placed after the paragraph
they followed; other images pointing at the imported photos. The sanitizer
has the last word.
"""

import html
import re
from typing import NamedTuple

from articles import embeds
from articles.sanitize import clean_html, paragraph_ends

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.DOTALL)
BLOCK_TAGS = (
    "address|blockquote|caption|dd|div|dl|dt|figcaption|figure|h[1-6]|hr|li|ol|p|pre|section|table|tbody|td"
    "|tfoot|th|thead|tr|ul"
)
HAS_BLOCK = re.compile(rf"</?(?:{BLOCK_TAGS})\b", re.IGNORECASE)
SHORTCODE_ATTRIBUTES = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.IGNORECASE)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
EMBED_BLOCK = re.compile(
    r"<figure[^>]*wp-block-embed[^>]*>\s*<div[^>]*wp-block-embed__wrapper[^>]*>\s*(\S+?)\s*</div>"
    r"(.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
IMG_ATTRIBUTE = re.compile(r"""\b(src|class|alt)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
PHOTO_BLOCK = re.compile(r"<!--\s*wp:(image|gallery)\b[^>]*?-->(.*?)<!--\s*/wp:\1\s*-->", re.DOTALL)
# Where photos of the library stand in the body until they become the story's body photos: a paragraph
# of its own holding only this text, which nothing WordPress writes looks like.
PLACE = "\u2063newsdesk-photos:{}\u2063"
PLACED = re.compile(r"<p>\u2063newsdesk-photos:([\d,]+)\u2063</p>\s*")


class Body(NamedTuple):
    html: str
    photos: list  # [(after_paragraph, photo pk)], in the order they are shown


class PhotoIndex:
    """The imported photos a body may show, by WordPress attachment id and by file URL (any size of it)."""

    def __init__(self):
        self.by_id = {}
        self.by_url = {}

    def add(self, attachment_id, url, photo_url, alt, caption, pk):
        entry = (photo_url, alt, caption, pk)
        self.by_id[str(attachment_id)] = entry
        if url:
            self.by_url[url_key(url)] = entry

    def find(self, attachment_id=None, url=None):
        if attachment_id and str(attachment_id) in self.by_id:
            return self.by_id[str(attachment_id)]
        if url:
            return self.by_url.get(url_key(url))
        return None


def url_key(url):
    """A media URL without host, scheme or WordPress's "-300x200" size suffix."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.IGNORECASE).split("?")[0]
    return SIZE_SUFFIX.sub("", path)


def shortcode_attributes(text):
    return {
        match[0].lower(): next(v for v in match[1:] if v is not None) for match in SHORTCODE_ATTRIBUTES.findall(text)
    }


def link(url):
    url = html.unescape(url.strip())
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def embed(url):
    """The stored embed of a supported provider's address (as the story editor stores it), or a link."""
    try:
        return embeds.parse(html.unescape(url.strip())).as_stored()
    except embeds.EmbedError:
        return link(url)


def place(entries):
    """A stand-in paragraph for library photos shown at this point of the body."""
    ids = [str(entry[3]) for entry in entries if entry]
    return f"\n\n<p>{PLACE.format(','.join(ids))}</p>\n\n" if ids else ""


def rewrite_images(content, photos):
    """Point ``<img>`` at the imported photo when the file or its ``wp-image-N`` class is known."""

    def replace(match):
        attributes = image_attributes(match[0])
        found = photo_of(attributes, photos)
        if not found:
            return match[0]
        photo_url, alt, *_ = found
        return f'<img src="{html.escape(photo_url)}" alt="{html.escape(attributes.get("alt") or alt)}">'

    return IMG.sub(replace, content)


def image_attributes(tag):
    return {name.lower(): value[1:-1] for name, value in IMG_ATTRIBUTE.findall(tag)}


def photo_of(attributes, photos):
    """The imported photo an ``<img>`` shows, by its ``wp-image-N`` class or its file."""
    id_match = WP_IMAGE_CLASS.search(attributes.get("class", ""))
    return photos.find(id_match[1] if id_match else None, html.unescape(attributes.get("src", "")))


def image_entry(tag, photos):
    return photo_of(image_attributes(tag), photos)


def photo_blocks(content, photos):
    """Block-editor image and gallery blocks whose images were all imported become body photos."""

    def replace(match):
        entries = [image_entry(tag, photos) for tag in IMG.findall(match[2])]
        return place(entries) if entries and all(entries) else match[0]

    return PHOTO_BLOCK.sub(replace, content)


def captions(content, photos):
    def replace(match):
        inner = match[3].strip()
        attributes = shortcode_attributes(match[2])
        images = IMG.findall(inner)
        if len(images) == 1 and (entry := image_entry(images[0], photos)):
            return place([entry])
        text = IMG.sub("", re.sub(r"</?a\b[^>]*>", "", inner)).strip() or attributes.get("caption", "")
        if not images:
            return inner
        return (
            f"<figure>{images[0]}<figcaption>{text}</figcaption></figure>" if text else f"<figure>{images[0]}</figure>"
        )

    return CAPTION.sub(replace, content)


def galleries(content, photos):
    def replace(match):
        ids = [part.strip() for part in shortcode_attributes(match[1]).get("ids", "").split(",") if part.strip()]
        return place([photos.find(attachment_id) for attachment_id in ids])

    return GALLERY.sub(replace, content)


def autop(content):
    """WordPress's automatic paragraphs: blank lines part paragraphs, single line breaks become ``<br>``.

    A chunk that already holds block markup is left as it is, never wrapped.
    """
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    parts = []
    for chunk in re.split(r"\n\s*\n", content):
        chunk = chunk.strip()
        if not chunk:
            continue
        if HAS_BLOCK.search(chunk):
            parts.append(chunk)
        else:
            parts.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(parts)


def to_body(content, photos=None):
    """Post content from WordPress as sanitized body HTML, and the library photos placed in it."""
    photos = photos or PhotoIndex()
    is_blocks = bool(BLOCK_COMMENT.search(content))
    content = photo_blocks(content, photos)
    content = BLOCK_COMMENT.sub("", content)
    content = EMBED_BLOCK.sub(lambda match: embed(match[1]), content)
    content = EMBED.sub(lambda match: "\n\n" + embed(match[1]) + "\n\n", content)
    content = URL_LINE.sub(lambda match: "\n" + embed(match[1]) + "\n", content)
    content = captions(content, photos)
    content = galleries(content, photos)
    content = rewrite_images(content, photos)
    if not is_blocks:
        content = autop(content)
    content = re.sub(r"<p>\s*</p>", "", clean_html(content))
    return placed_photos(re.sub(r">\s*\n\s*\n\s*<", ">\n<", content))


def placed_photos(content):
    """The body without its stand-ins, and each photo after the paragraph before its stand-in (the first
    paragraph at least: a body photo always follows one). A photo shown twice keeps its first place."""
    parts, placed, seen, position = [], [], set(), 0
    for match in PLACED.finditer(content):
        parts.append(content[position : match.start()])
        position = match.end()
        after = max(1, len(paragraph_ends("".join(parts))))
        for pk in map(int, match[1].split(",")):
            if pk not in seen:
                seen.add(pk)
                placed.append((after, pk))
    parts.append(content[position:])
    return Body("".join(parts).strip(), placed)
