"""Times the discovery pages on a large synthetic archive and prints the numbers.

Usage (PostgreSQL, a database of its own; stories are added until there are --stories):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench \\
        python bench/discovery.py --stories 100000

Words follow a Zipf-like law, so "w0" is in most stories and "w3000" in few.
Each line prints the median of --repeat runs and the number of SQL queries.
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

import datetime  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Author, Byline, Section, Tag  # noqa: E402
from articles.popularity import flush_reads, record_read  # noqa: E402

VOCABULARY = [f"w{n}" for n in range(5000)]
WEIGHTS = [1 / (n + 1) for n in range(5000)]


def words(rng, k):
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=k))


def fill(target, batch=2000):
    rng = random.Random(1)
    sections = [Section.objects.get_or_create(slug=f"s{n}", defaults={"name": f"Section {n}"})[0] for n in range(8)]
    authors = [Author.objects.get_or_create(slug=f"a{n}", defaults={"name": f"Author {n}"})[0] for n in range(50)]
    tags = [Tag.objects.get_or_create(slug=f"t{n}", defaults={"name": f"Tag {n}"})[0] for n in range(200)]
    have = Article.objects.count()
    now = timezone.now()
    started = time.perf_counter()
    while have < target:
        size = min(batch, target - have)
        stories = Article.objects.bulk_create(
            Article(
                headline=words(rng, 8),
                slug=f"bench-{have + n}",
                standfirst=words(rng, 25),
                body="".join(f"<p>{words(rng, 60)}</p>" for _ in range(5)),
                section=rng.choice(sections),
                status=Article.Status.PUBLISHED,
                publish_at=now - datetime.timedelta(minutes=10 * (have + n)),
            )
            for n in range(size)
        )
        Byline.objects.bulk_create(Byline(article=story, author=rng.choice(authors)) for story in stories)
        Article.tags.through.objects.bulk_create(
            Article.tags.through(article=story, tag=tag) for story in stories for tag in rng.sample(tags, 3)
        )
        have += size
        print(f"  {have} stories ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label, action, repeat):
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
    print(f"{label:<48} {statistics.median(times) * 1000:8.1f} ms  {len(captured):3d} queries")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    fill(options.stories)
    client = Client(HTTP_HOST="localhost")
    story = Article.objects.published().latest_first()[10]
    for pk in Article.objects.published().latest_first().values_list("pk", flat=True)[:50]:
        record_read(pk, "192.0.2.1")
    total = Article.objects.count()
    print(f"{connection.vendor}, {total} stories")

    def get(url, **params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        return run

    for word in ("w0", "w5", "w100", "w3000"):
        matches = Article.objects.search(word, order="date").count() if connection.vendor == "postgresql" else "?"
        measure(f"search {word!r} ({matches} matches), relevance", get("/search/", q=word), options.repeat)
        measure(f"search {word!r}, newest first", get("/search/", q=word, order="date"), options.repeat)
    measure("search 'w5 w100', page 20", get("/search/", q="w5 w100", page=20), options.repeat)
    measure("search 'w3000' in section s1", get("/search/", q="w3000", section="s1"), options.repeat)
    measure("site RSS feed", get("/feeds/rss/"), options.repeat)
    measure("tag Atom feed", get("/feeds/tag/t7/atom/"), options.repeat)
    measure("sitemap index", get("/sitemap.xml"), options.repeat)
    measure("sitemap stories, page 1", get("/sitemap-stories.xml"), options.repeat)
    measure("news sitemap", get("/news-sitemap.xml"), options.repeat)
    measure("related stories of one story", lambda: Article.objects.for_page().get(pk=story.pk).related(), 5)
    measure("flush_most_read", flush_reads, options.repeat)
    measure("home page with most read", get("/"), options.repeat)
    measure("story page", get(story.get_absolute_url()), options.repeat)


if __name__ == "__main__":
    main()
