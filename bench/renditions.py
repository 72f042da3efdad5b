"""Rendition time per megapixel.

Runs the upload pipeline's image work (decode, orientation, stripped served
copy, every rendition in WebP and JPEG) on generated camera-like photos of a
few sizes, without a database, and prints seconds per megapixel.

    /work/main/.venv/bin/python bench/renditions.py [--repeat 3]
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

from photos import imaging  # noqa: E402
from photos.models import Rendition  # noqa: E402

SIZES = [(1600, 1067), (3000, 2000), (4000, 3000), (6000, 4000)]


def camera_jpeg(size):
    """A JPEG with the detail and noise of a real photo, so that encoders work as hard as on one."""
    small = Image.effect_noise((size[0] // 16, size[1] // 16), 80).convert("RGB")
    image = small.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.DETAIL)
    grain = Image.effect_noise(size, 20).convert("RGB")
    image = Image.blend(image, grain, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def serve(data):
    """Decode, turn upright, strip and re-encode: the served copy Photo.save makes of an upload."""
    image, served_format = imaging.open_clean(io.BytesIO(data))
    imaging.encode(image, served_format)
    return image


def render_all(image):
    """Every rendition of every shape and format, minus the storage writes; returns how many."""
    made = 0
    for ratio in Rendition.RATIOS.values():
        box = imaging.crop_box(image.size, ratio, (0.5, 0.5))
        for _, scaled in imaging.scale(image, box, imaging.rendition_sizes(box, settings.PHOTO_RENDITION_WIDTHS)):
            for fmt in Rendition.Format:
                imaging.encode(scaled, fmt, imaging.RENDITION_QUALITY[fmt])
                made += 1
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is reported")
    repeat = parser.parse_args().repeat
    print(f"Rendition widths {settings.PHOTO_RENDITION_WIDTHS}, WebP and JPEG, 3 shapes; median of {repeat} runs")
    print("Wall-clock seconds; CPU seconds too, as they vary less on a busy machine.")
    print(
        f"{'photo':>11} {'MP':>5} {'renditions':>10} {'served s':>9} {'renditions s':>12} {'s/MP':>6} {'CPU s/MP':>8}"
    )
    for size in SIZES:
        data = camera_jpeg(size)
        served, rendered, cpu = [], [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            image = serve(data)
            middle = time.perf_counter()
            made = render_all(image)
            served.append(middle - start)
            rendered.append(time.perf_counter() - middle)
            cpu.append(time.process_time() - start_cpu)
        megapixels = size[0] * size[1] / 1_000_000
        serve_s, render_s = statistics.median(served), statistics.median(rendered)
        print(
            f"{size[0]:>5}x{size[1]:<5} {megapixels:>5.1f} {made:>10} {serve_s:>9.2f} {render_s:>12.2f} "
            f"{(serve_s + render_s) / megapixels:>6.3f} {statistics.median(cpu) / megapixels:>8.3f}"
        )


if __name__ == "__main__":
    main()
