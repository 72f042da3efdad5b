"""Pictures for the demo content, drawn with Pillow.

The demo must work offline and carry no third-party images, so every lead
photo and portrait is painted here: a gradient in the section's palette,
soft shapes, and a simple motif that hints at the section. The same seed
always gives the same picture.
"""

import io
import math
import random

from PIL import Image, ImageDraw

PHOTO_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 600)


def _gradient(size, top, bottom, horizontal=False):
    mask = Image.linear_gradient("L")
    if horizontal:
        mask = mask.transpose(Image.Transpose.ROTATE_90)
    mask = mask.resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _tint(color, alpha):
    return (*color, alpha)


def _blobs(draw, rng, size, palette, count):
    width, height = size
    for _ in range(count):
        radius = rng.randint(height // 10, height // 2)
        x, y = rng.randint(-radius, width), rng.randint(-radius, height)
        draw.ellipse((x, y, x + radius, y + radius), fill=_tint(rng.choice(palette), rng.randint(25, 70)))


def _globe(draw, rng, size, palette):
    width, height = size
    cx, cy, r = width * rng.uniform(0.55, 0.72), height * 0.5, height * 0.36
    line = _tint(palette[-1], 170)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=line, width=6)
    for step in range(1, 4):
        squeeze = r * step / 4
        draw.ellipse((cx - squeeze, cy - r, cx + squeeze, cy + r), outline=line, width=3)
        offset = r * math.sin(math.pi * step / 8)
        half = math.sqrt(r * r - offset * offset)
        for y in (cy - offset, cy + offset):
            draw.line((cx - half, y, cx + half, y), fill=line, width=3)
    draw.line((cx - r, cy, cx + r, cy), fill=line, width=3)


def _columns(draw, rng, size, palette):
    width, height = size
    left, base, count = width * rng.uniform(0.1, 0.3), height * 0.82, rng.randint(5, 7)
    span = width * 0.55
    stone = _tint(palette[-1], 190)
    column = span / (count * 2 - 1)
    top = height * 0.38
    for index in range(count):
        x = left + index * column * 2
        draw.rectangle((x, top, x + column, base), fill=stone)
    draw.polygon(
        [(left - column, top - 10), (left + span / 2, height * 0.16), (left + span + column, top - 10)], fill=stone
    )
    draw.rectangle((left - column * 1.5, base, left + span + column * 1.5, base + 24), fill=stone)


def _chart(draw, rng, size, palette):
    width, height = size
    bars = rng.randint(7, 11)
    gap = width * 0.8 / bars
    for index in range(bars):
        bar_height = height * rng.uniform(0.15, 0.6)
        x = width * 0.1 + index * gap
        draw.rectangle((x, height * 0.88 - bar_height, x + gap * 0.6, height * 0.88), fill=_tint(palette[-1], 120))
    points, level = [], height * 0.6
    for index in range(bars + 1):
        level = min(height * 0.85, max(height * 0.12, level + rng.uniform(-0.14, 0.12) * height))
        points.append((width * 0.1 + index * gap, level))
    draw.line(points, fill=_tint(palette[-1], 230), width=8, joint="curve")


def _orbits(draw, rng, size, palette):
    width, height = size
    cx, cy = width * rng.uniform(0.35, 0.65), height * 0.5
    line = _tint(palette[-1], 160)
    for ring in range(1, 5):
        rx, ry = height * 0.16 * ring, height * 0.07 * ring
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=line, width=3)
        angle = rng.uniform(0, 2 * math.pi)
        px, py = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        draw.ellipse((px - 14, py - 14, px + 14, py + 14), fill=_tint(palette[-1], 240))
    draw.ellipse((cx - 46, cy - 46, cx + 46, cy + 46), fill=_tint(palette[-1], 220))


def _track(draw, rng, size, palette):
    width, height = size
    line = _tint(palette[-1], 170)
    for lane in range(6):
        inset = 60 + lane * 48
        draw.rounded_rectangle(
            (inset, height * 0.3 + lane * 20, width - inset, height + 400), radius=380, outline=line, width=4
        )
    x, y = width * rng.uniform(0.3, 0.7), height * 0.22
    draw.ellipse((x - 60, y - 60, x + 60, y + 60), fill=_tint(palette[-1], 235))


def _stage(draw, rng, size, palette):
    width, height = size
    curtain = _tint(palette[0], 210)
    for side in (0, 1):
        for fold in range(5):
            x = fold * 70 if side == 0 else width - (fold + 1) * 70
            draw.rectangle((x, 0, x + 58, height), fill=curtain)
    cx = width * rng.uniform(0.42, 0.58)
    draw.polygon([(cx - 40, 0), (cx + 40, 0), (cx + 320, height), (cx - 320, height)], fill=_tint(palette[-1], 70))
    draw.ellipse((cx - 320, height - 80, cx + 320, height + 80), fill=_tint(palette[-1], 110))


MOTIFS = {
    "globe": _globe,
    "columns": _columns,
    "chart": _chart,
    "orbits": _orbits,
    "track": _track,
    "stage": _stage,
}


def _jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def lead_photo(seed, palette, motif):
    """A 1600x900 JPEG in ``palette`` (darkest colour first) showing ``motif``."""
    rng = random.Random(seed)
    base = _gradient(PHOTO_SIZE, palette[0], palette[1], horizontal=rng.random() < 0.5)
    layer = Image.new("RGBA", PHOTO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _blobs(draw, rng, PHOTO_SIZE, palette, rng.randint(4, 8))
    MOTIFS[motif](draw, rng, PHOTO_SIZE, palette)
    base.paste(layer, mask=layer)
    return _jpeg(base)


def portrait(seed, palette):
    """A square head-and-shoulders silhouette for an author page."""
    rng = random.Random(seed)
    width, height = PORTRAIT_SIZE
    image = _gradient(PORTRAIT_SIZE, palette[1], palette[0])
    draw = ImageDraw.Draw(image)
    figure = palette[-1]
    head = width * rng.uniform(0.15, 0.19)
    cx, cy = width / 2, height * 0.4
    draw.ellipse((cx - head, cy - head * 1.2, cx + head, cy + head * 1.1), fill=figure)
    draw.ellipse((width * 0.14, height * 0.66, width * 0.86, height * 1.35), fill=figure)
    return _jpeg(image)
