"""Times what happens to a story body on save and on view, for bodies of about 1 MB, and prints the numbers.

Usage:
    python bench/body.py [--size 1000000] [--repeat 5]

No database is needed: the body goes through the story form's preparation
(paste clean-up, embeds, checks: articles/body.py), the bleach sanitizer
(articles/sanitize.py), and what a story page does with the stored body
(splitting it for "Also read" links and photos, drawing embed facades).
Each line prints the median of --repeat runs in milliseconds, and the
ratio to the same body's plain sanitize time, for several kinds of body.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from articles import body, embeds  # noqa: E402
from articles.sanitize import clean_html, paragraph_ends  # noqa: E402

CLIPBOARD = Path(__file__).resolve().parent.parent / "tests" / "clipboard"


def repeated(unit, size):
    return unit * max(1, size // len(unit))


def bodies(size):
    """Kinds of 1 MB body: typed prose, pasted Word and Google Docs HTML, a body full of embeds, deep nesting."""
    prose = "<p>The council met on <strong>Tuesday</strong> and voted, <a href='https://example.org/x'>see</a>.</p>"
    return {
        "typed prose": repeated(prose + "<h2>Sub-head</h2><ul><li>One</li><li>Two</li></ul>", size),
        "pasted Word": repeated((CLIPBOARD / "word.html").read_text(), size),
        "pasted Google Docs": repeated((CLIPBOARD / "google_docs.html").read_text(), size),
        "prose + 40 embeds": repeated(prose, size - 40 * 40) + "<p>https://youtu.be/dQw4w9WgXcQ</p>" * 40,
        "nested 99 deep": repeated("<blockquote>" * 98 + "<p>Deep.</p>" + "</blockquote>" * 98, size),
    }


def timed(function, argument, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(argument)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def render(stored):
    paragraph_ends(stored)
    return embeds.render_stored(stored)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of HTML per body")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"{'body':<20} {'KB':>6} {'prepare ms':>11} {'sanitize ms':>12} {'render ms':>10} {'render/sanitize':>16}")
    for name, html in bodies(args.size).items():
        prepare_ms, prepared = timed(body.prepare, html, args.repeat)
        sanitize_ms, stored = timed(clean_html, prepared, args.repeat)
        render_ms, _ = timed(render, stored, args.repeat)
        print(
            f"{name:<20} {len(html) // 1000:>6} {prepare_ms:>11.1f} {sanitize_ms:>12.1f} {render_ms:>10.1f} "
            f"{render_ms / sanitize_ms:>16.2f}"
        )


if __name__ == "__main__":
    main()
