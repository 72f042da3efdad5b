from django import template

register = template.Library()


@register.inclusion_tag("photos/picture.html")
def picture(photo, kind="full", sizes="100vw", lead=False, lazy=True, width=None, height=None, css_class=""):
    """A photo as <picture>: WebP and JPEG renditions of one kind, or the served image while they are missing.

    ``lead`` marks the page's main photo (fetched first, never lazily);
    ``width`` and ``height`` fix the displayed size, otherwise the largest
    rendition's size gives the aspect ratio so that nothing shifts on load.
    What to show was worked out when the renditions were made (``Photo.picture``).
    """
    shown = photo.picture(kind)
    if width is None:
        width, height = shown["width"], shown["height"]
    return {
        "src": shown["src"],
        "webp_srcset": shown.get("webp", ""),
        "jpeg_srcset": shown.get("jpeg", ""),
        "sizes": sizes,
        "alt": photo.alt_text,
        "width": width,
        "height": height,
        "lead": lead,
        "lazy": lazy,
        "css_class": css_class,
    }
