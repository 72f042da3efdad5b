"""Time to check and clean a story body, whatever is pasted into it.

Prints, for bodies from a normal story to pastes gone wrong, the best of a few
runs, in milliseconds, of:

- save: what a save through the admin pays (``check_size``; ``body.prepare``:
  paragraphs, paste clean-up, embeds; ``check_body`` as the model is cleaned:
  repair, allowlist, the check that no word is lost);
- nh3: the allowlist pass alone;
- render: what the story page does with the stored body (paragraph ends for
  the blocks placed in it, embeds turned into facades);

and whether the body was saved or refused. With bleach installed it also times
bleach's Cleaner on the same allowlist, for the ratio that made nh3 replace it.
Target (issue 12): under 200 ms for any body.

    /work/main/.venv/bin/python bench/sanitize.py [--repeat 3]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402

from articles import body as story_body  # noqa: E402
from articles import embeds, sanitize  # noqa: E402

CLIPBOARD = Path(__file__).resolve().parent.parent / "tests" / "clipboard"

PARAGRAPH = (
    '<p>The council <strong>voted</strong> on Tuesday to <a href="https://example.com/road">close the '
    "ring road</a> for a week, residents said, while engineers &amp; divers checked the bridge.</p>\n"
)
WORD = (
    "<p class=MsoNormal><span style='font-size:12.0pt;mso-bidi-font-family:Calibri'>The council&#8217;s"
    " engineers said the road would reopen<o:p></o:p></span></p>\n"
)


def bodies():
    yield "story, 8 KB", PARAGRAPH * 40
    yield "long read, 100 KB", PARAGRAPH * 500
    yield "Word paste, 250 KB", WORD * 1700
    yield "1 MB", (PARAGRAPH * 5000)[: sanitize.MAX_BODY_CHARACTERS]
    yield "1 MB Word paste", (WORD * 7000)[: sanitize.MAX_BODY_CHARACTERS]
    yield "1 MB with 50 embeds", ("<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>" + PARAGRAPH * 100) * 50
    for source in ("google_docs", "web_page"):
        paste = (CLIPBOARD / f"{source}.html").read_text()
        yield f"1 MB pasted {source.replace('_', ' ')}", paste * (sanitize.MAX_BODY_CHARACTERS // len(paste))
    deep = "<blockquote>" * 98 + "<p>Deep.</p>" + "</blockquote>" * 98
    yield "1 MB nested 99 deep", deep * (sanitize.MAX_BODY_CHARACTERS // len(deep))
    yield "5 MB paste", PARAGRAPH * 25000
    for tag in ("div", "blockquote", "b", "table"):
        yield f"<{tag}> nested 10,000 deep", f"<{tag}>" * 10_000 + "x" + f"</{tag}>" * 10_000
    yield "100-deep <div>s, 1 MB", ("<div>" * 99 + "x" + "</div>" * 99) * 1000
    yield "unclosed comment at the top, 1 MB", ("<!-- " + PARAGRAPH * 5000)[: sanitize.MAX_BODY_CHARACTERS]
    yield "unclosed quote at the top, 1 MB", ('<p class="x>' + PARAGRAPH * 5000)[: sanitize.MAX_BODY_CHARACTERS]
    yield "1,000,000 stray '<'", "<" * 1_000_000
    yield "1 MB of stray '<' in a paragraph", "<p>" + "<" * 999_990 + "</p>"


def best(function, body, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            function(body)
            outcome = "saved"
        except ValidationError as error:
            outcome = f"refused ({error.code})"
        times.append(time.perf_counter() - started)
    return min(times) * 1000, outcome


def save(body):
    """What the story form and the model's save do to a typed body."""
    sanitize.check_size(body)
    return sanitize.check_body(story_body.prepare(body))


def render(stored):
    sanitize.paragraph_ends(stored)
    return embeds.render_stored(stored)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    try:
        import bleach

        bleached = bleach.Cleaner(
            tags=sanitize.ALLOWED_TAGS,
            attributes=sanitize.ALLOWED_ATTRIBUTES,
            protocols=sanitize.ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        ).clean
    except ImportError:
        bleached = None
    print(f"{'body':<38} {'save ms':>8} {'nh3 ms':>8} {'render ms':>10} {'bleach ms':>10} {'ratio':>6}  outcome")
    for name, body in bodies():
        checked, outcome = best(save, body, repeat)
        allowlist, _ = best(sanitize.clean_html, body, repeat)
        rendered = best(render, save(body), repeat)[0] if outcome == "saved" else 0
        if bleached and len(body) <= 150_000:
            old, _ = best(bleached, body, 1)
            comparison = f"{old:>10.0f} {old / allowlist:>6.0f}"
        else:
            comparison = f"{'(slow)' if bleached else '-':>10} {'':>6}"
        print(f"{name:<38} {checked:>8.0f} {allowlist:>8.0f} {rendered:>10.0f} {comparison}  {outcome}")


if __name__ == "__main__":
    main()
