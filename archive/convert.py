"""WordPress post content as the site's own body HTML.

WordPress stores classic posts with bare line breaks (it adds paragraphs when
it shows them), shortcodes such as [caption] and [gallery], and block-editor
posts wrapped in ``<!-- wp:... -->`` comments. This turns all of them into
plain paragraphs, figures and links, with body images pointing at the
imported photos; the sanitizer has the last word.
"""

import html
import re

from articles.sanitize import clean_html

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


def figure(photo_url, alt, caption="", pk=None):
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{html.escape(photo_url)}" alt="{html.escape(alt)}">{caption_html}</figure>'


def rewrite_images(content, photos):
    """Point ``<img>`` at the imported photo when the file or its ``wp-image-N`` class is known."""

    def replace(match):
        attributes = {name.lower(): value[1:-1] for name, value in IMG_ATTRIBUTE.findall(match[0])}
        id_match = WP_IMAGE_CLASS.search(attributes.get("class", ""))
        found = photos.find(id_match[1] if id_match else None, html.unescape(attributes.get("src", "")))
        if not found:
            return match[0]
        photo_url, alt, *_ = found
        return f'<img src="{html.escape(photo_url)}" alt="{html.escape(attributes.get("alt") or alt)}">'

    return IMG.sub(replace, content)


def captions(content):
    def replace(match):
        inner = match[3].strip()
        attributes = shortcode_attributes(match[2])
        images = IMG.findall(inner)
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
        shown = [photos.find(attachment_id) for attachment_id in ids]
        return "\n\n".join(figure(*entry) for entry in shown if entry)

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
    """Post content from WordPress as sanitized body HTML."""
    photos = photos or PhotoIndex()
    is_blocks = bool(BLOCK_COMMENT.search(content))
    content = BLOCK_COMMENT.sub("", content)
    content = EMBED_BLOCK.sub(lambda match: link(match[1]), content)
    content = EMBED.sub(lambda match: "\n\n" + link(match[1]) + "\n\n", content)
    content = URL_LINE.sub(lambda match: "\n" + link(match[1]) + "\n", content)
    content = captions(content)
    content = galleries(content, photos)
    content = rewrite_images(content, photos)
    if not is_blocks:
        content = autop(content)
    content = re.sub(r"<p>\s*</p>", "", clean_html(content))
    return re.sub(r">\s*\n\s*\n\s*<", ">\n<", content)
