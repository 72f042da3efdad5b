"""Times what revisions cost: a story's save with and without its revision, as its history grows, the history
page, and the word-level comparison of long bodies. Prints medians in milliseconds and ratios side by side.

Usage:
    python bench/revisions.py [--revisions 500] [--repeat 15]

It makes a throwaway test database (SQLite by default; DATABASE_URL for PostgreSQL) and drops it afterwards.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

import reversion  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from articles import revisions  # noqa: E402
from articles.models import Article, Author, Byline, Section, Tag  # noqa: E402
from articles.workflow_admin import HISTORY_PER_PAGE  # noqa: E402

WORDS = [
    "council",
    "budget",
    "mayor",
    "vote",
    "river",
    "school",
    "hospital",
    "road",
    "police",
    "market",
    "weather",
    "court",
]


def body(words, seed):
    rng = random.Random(seed)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(max(1, words // 40))]
    return "".join(f"<p>{paragraph}.</p>" for paragraph in paragraphs)


def edited(text, share, seed):
    """``text`` with ``share`` of its words replaced."""
    rng = random.Random(seed)
    words = text.split(" ")
    for index in rng.sample(range(len(words)), int(len(words) * share)):
        words[index] = "edited"
    return " ".join(words)


def median_ms(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def line(label, ms, note=""):
    print(f"{label:<45} {ms:9.2f} ms  {note}".rstrip())


def story(section, author, tags, headline):
    article = Article.objects.create(headline=headline, section=section, body=body(800, 1), status="published")
    Byline.objects.create(article=article, author=author)
    article.tags.add(*tags)
    return article


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()

    setup_test_environment()
    # Stored pages go stale on each save: keep that in memory, out of the timings' way and out of the checkout.
    override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}).enable()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        section = Section.objects.create(name="World", slug="world")
        author = Author.objects.create(name="Ann Writer", slug="ann-writer")
        tags = [Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}") for n in range(3)]
        young = story(section, author, tags, "Young story")
        old = story(section, author, tags, "Old story")
        for n in range(options.revisions):
            old.headline = f"Old story {n}"
            old.save()

        def save(article):
            article.headline = f"{article.headline[:40]} x"
            article.save()

        def save_without_revision(article):
            with reversion.create_revision(manage_manually=True):
                save(article)

        plain = median_ms(lambda: save_without_revision(young), options.repeat)
        first = median_ms(lambda: save(young), options.repeat)
        many = median_ms(lambda: save(old), options.repeat)
        line("story save, no revision", plain)
        line(f"story save + revision, ~{options.repeat} revisions", first, f"+{first - plain:.2f} ms a save")
        line(f"story save + revision, {options.revisions} revisions", many, f"{many / first:.2f}× the young story's")

        User.objects.create_superuser("bench", password="bench")
        client = Client()
        client.force_login(User.objects.get(username="bench"))
        young_page = median_ms(lambda: client.get(f"/admin/articles/article/{young.pk}/history/"), options.repeat)
        old_page = median_ms(lambda: client.get(f"/admin/articles/article/{old.pk}/history/"), options.repeat)
        line(f"history page, ~{options.repeat * 2} revisions", young_page)
        line(
            f"history page, {options.revisions} revisions",
            old_page,
            f"{old_page / young_page:.2f}×; {HISTORY_PER_PAGE} a page",
        )

        for words in (1_000, 5_000, 20_000):
            before = revisions.body_text(body(words, 2))
            after = edited(before, 0.05, 3)
            cost = median_ms(lambda before=before, after=after: revisions.word_diff(before, after), 5)
            line(f"word-level diff, {words} words, 5% changed", cost)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
