from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def picture(photo, kind="full", sizes="100vw", lead=False, lazy=True, width=None, height=None, css_class=""):
    """A photo as <picture>: WebP and JPEG renditions of one kind, or the served image while they are missing.

    ``lead`` marks the page's main photo (fetched first, never lazily);
    ``width`` and ``height`` fix the displayed size, otherwise the largest
    rendition's size gives the aspect ratio so that nothing shifts on load.
    What to show was worked out when the renditions were made (``Photo.picture``),
    and the element is put together here rather than by a template: a page of
    cards shows dozens, and this costs a fraction of a template's rendering.
    """
    shown = photo.picture(kind)
    if width is None:
        width, height = shown["width"], shown["height"]
    attributes = [("src", shown["src"])]
    if shown.get("jpeg"):
        attributes += [("srcset", shown["jpeg"]), ("sizes", sizes)]
    attributes.append(("alt", photo.alt_text))
    if width:
        attributes += [("width", width), ("height", height)]
    if css_class:
        attributes.append(("class", css_class))
    if lead:
        attributes.append(("fetchpriority", "high"))
    elif lazy:
        attributes.append(("loading", "lazy"))
    source = ""
    if shown.get("webp"):
        source = format_html('<source type="image/webp" srcset="{}" sizes="{}">', shown["webp"], sizes)
    return format_html("<picture>{}<img{}></picture>", source, format_html_join("", ' {}="{}"', attributes))
