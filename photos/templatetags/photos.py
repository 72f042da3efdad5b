from django import template

register = template.Library()

# What the fallback <img src> points at, for browsers that ignore srcset.
FALLBACK_WIDTH = 640


@register.inclusion_tag("photos/picture.html")
def picture(photo, kind="full", sizes="100vw", lead=False, lazy=True, width=None, height=None, css_class=""):
    """A photo as <picture>: WebP and JPEG renditions of one kind, or the served image while they are missing.

    ``lead`` marks the page's main photo (fetched first, never lazily);
    ``width`` and ``height`` fix the displayed size, otherwise the largest
    rendition's size gives the aspect ratio so that nothing shifts on load.
    """
    renditions = photo.renditions_of(kind)
    jpegs, webps = renditions.get("jpeg", []), renditions.get("webp", [])
    if jpegs:
        fallback = next((r for r in jpegs if r.width >= FALLBACK_WIDTH), jpegs[-1])
        src, natural = fallback.file.url, (jpegs[-1].width, jpegs[-1].height)
    else:
        src, natural = photo.image.url, (photo.width, photo.height)
    if width is None:
        width, height = natural
    return {
        "src": src,
        "webp_srcset": _srcset(webps),
        "jpeg_srcset": _srcset(jpegs),
        "sizes": sizes,
        "alt": photo.alt_text,
        "width": width,
        "height": height,
        "lead": lead,
        "lazy": lazy,
        "css_class": css_class,
    }


def _srcset(renditions):
    return ", ".join(f"{rendition.file.url} {rendition.width}w" for rendition in renditions)
