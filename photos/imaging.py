"""Photo files: which uploads are accepted, and how served images and renditions are made.

Plain Pillow and no models, so that the Photo model, the build_renditions
command and the benchmark all run the very same code.
"""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Accepted source formats (as Pillow names them) and the format each is served in.
# MPO is what many cameras write: a JPEG with extra frames. GIFs become still PNGs.
SERVED_FORMAT = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
ACCEPTED_LIST = "a JPEG, PNG, WebP or GIF photo"

SERVED_QUALITY = 90
# The longest side a rendition may have: WebP's limit (JPEG's is 65,535).
MAX_RENDITION_SIDE = 16383
# Longer side over shorter side: past this a picture is a strip no page can show sensibly.
MAX_ASPECT_RATIO = 30
RENDITION_QUALITY = {"jpeg": 82, "webp": 80}


def validate_upload(file):
    """Refuse anything but a complete JPEG, PNG, WebP or GIF within the size and pixel limits.

    The content decides, never the file name: the image is decoded in full,
    which is also what catches truncated files.
    """
    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; a photo may be at most %(max)s. Export it smaller and upload it again."),
            code="too_large",
            params={"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)},
        )
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.format not in SERVED_FORMAT:
                raise ValidationError(
                    _("%(format)s images are not accepted. Upload %(accepted)s."),
                    code="format",
                    params={"format": image.format, "accepted": ACCEPTED_LIST},
                )
            _check_pixels(*image.size)
            _check_shape(*image.size)
            image.load()
            image.getexif()
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            _("This file is not an image. Upload a valid image: %(accepted)s."),
            code="not_image",
            params={"accepted": ACCEPTED_LIST},
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("This image is damaged or incomplete (perhaps cut off during the upload). Export it again and retry."),
            code="broken",
        ) from error
    finally:
        file.seek(0)


def _check_pixels(width, height):
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _check_shape(width, height):
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            _(
                "This image is %(width)d × %(height)d pixels: a strip too narrow to show. A photo's longer side "
                "may be at most %(ratio)d times its shorter side; crop it or add a margin, and upload it again."
            ),
            code="shape",
            params={"width": width, "height": height, "ratio": MAX_ASPECT_RATIO},
        )


def _too_many_pixels(width=None, height=None):
    limit = settings.PHOTO_MAX_PIXELS / 1_000_000
    if width is None:
        return ValidationError(
            _("This image has far more pixels than the limit of %(limit)g megapixels."),
            code="pixels",
            params={"limit": limit},
        )
    return ValidationError(
        _("This image is %(width)d × %(height)d pixels; the limit is %(limit)g megapixels. Scale it down first."),
        code="pixels",
        params={"width": width, "height": height, "limit": limit},
    )


def open_clean(file):
    """The photo upright, in a mode every encoder takes, with no metadata but its colour profile.

    Returns the image and the format it is served in.
    """
    file.seek(0)
    with Image.open(file) as source:
        served_format = SERVED_FORMAT.get(source.format)
        if served_format is None:
            raise ValueError(f"{source.format} is not a photo format Newsdesk takes.")
        icc_profile = source.info.get("icc_profile") if source.mode != "CMYK" else None
        image = ImageOps.exif_transpose(source)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image.info = {"icc_profile": icc_profile} if icc_profile else {}
    return image, served_format


def encode(image, fmt, quality=SERVED_QUALITY):
    """The image as bytes in ``fmt``; only the colour profile goes along, never EXIF, XMP or comments."""
    params = {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
    if fmt == "jpeg":
        if image.mode == "RGBA":
            image = _flatten(image)
        params.update(quality=quality, optimize=True, progressive=True)
    elif fmt == "webp":
        params.update(quality=quality, method=4)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper(), **params)
    return buffer.getvalue()


def _flatten(image):
    """Transparent parts on white: JPEG has no alpha channel."""
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    background.info = image.info
    return background


def crop_box(size, ratio, focal):
    """The largest box of the given aspect ratio (None: the whole image), centred on the focal point
    as far as the edges allow."""
    width, height = size
    if ratio is None:
        return (0, 0, width, height)
    crop_width = min(width, round(height * ratio))
    crop_height = min(height, round(crop_width / ratio))
    left = _clamp(focal[0] * width - crop_width / 2, 0, width - crop_width)
    top = _clamp(focal[1] * height - crop_height / 2, 0, height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def _clamp(value, low, high):
    return round(min(max(value, low), high))


def rendition_sizes(box, widths):
    """(width, height) of each rendition of a crop box: the configured widths that neither upscale nor
    make a side longer than MAX_RENDITION_SIDE, or else the largest size that fits both limits."""
    box_width, box_height = box[2] - box[0], box[3] - box[1]
    largest = min(box_width, MAX_RENDITION_SIDE, MAX_RENDITION_SIDE * box_width // box_height) or 1
    fitting = [width for width in widths if width <= largest] or [largest]
    return [(width, max(1, round(width * box_height / box_width))) for width in fitting]


def scale(image, box, sizes):
    """Yield (size, image) for the crop box scaled to each size, largest first.

    Each is scaled from the one before rather than from the full photo:
    only the largest pays for the megapixels, and the result is as sharp.
    """
    larger = None
    for size in sorted(sizes, reverse=True):
        if larger is None:
            larger = image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        else:
            larger = larger.resize(size, Image.Resampling.LANCZOS)
        yield size, larger


def digest(content):
    """A short fingerprint of file content, put in names so that a cached URL never changes meaning."""
    return hashlib.blake2b(content, digest_size=5).hexdigest()
