"""Times the search page in-process on a benchmark database, one line per search of bench/prepare.py's set.

Usage (a database bench/prepare.py has filled; this only reads it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench_1000000 python bench/search.py [--repeat 15]
    DATABASE_URL=sqlite:////tmp/bench-100000.sqlite3 python bench/search.py

Each line is the median of --repeat requests through Django's test client
(after one warm-up request): the service time, the CPU time of this process
(on SQLite it includes the database's work; on PostgreSQL it leaves it out),
the time spent in SQL, the number of SQL queries and the number of results
on the page. On a busy machine the CPU time is the steadier measure. The
admin's story search (the story list with ``?q=``) follows, called as a
superuser who is never saved, so that the database is only read.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.messages.storage.cookie import CookieStorage  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from prepare import SEARCHES  # noqa: E402

from articles.models import Article  # noqa: E402


def filtered_searches():
    """The common word again, with each filter and the other order, and further pages."""
    two_years_ago = timezone.localdate() - datetime.timedelta(days=730)
    return [
        ("word, newest first", {"q": "budget", "order": "date"}),
        ("phrase, newest first", {"q": '"central bank"', "order": "date"}),
        ("rare words, newest first", {"q": "farmers rail capital", "order": "date"}),
        ("word, page 5", {"q": "budget", "page": 5}),
        ("word in a section", {"q": "budget", "section": "health"}),
        ("word by an author", {"q": "budget", "author": "reuters"}),
        ("word in one month", {"q": "budget", "since": two_years_ago, "until": two_years_ago + datetime.timedelta(30)}),
        ("OR and a minus", {"q": "budget or tariffs -capital"}),
        ("word in most stories", {"q": "economy"}),
        ("no match", {"q": "zebra"}),
    ]


# The admin's story search: a word, two words, and a byline's name.
DESK_SEARCHES = [("desk: common word", "budget"), ("desk: two words", "farmers budget"), ("desk: a name", "reuters")]


def measure(get, repeat, shown_marker=b'class="search-result"'):
    get()
    times, cpu, sql = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = get()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        sql.append(sum(float(query["time"]) for query in captured.captured_queries))
        assert response.status_code == 200, response.status_code
    shown = response.content.count(shown_marker)
    return [statistics.median(values) * 1000 for values in (times, cpu, sql)], len(captured), shown


def desk_search(text):
    """The admin's story list searched for ``text``, rendered, as a superuser sees it."""
    request = RequestFactory().get(reverse("admin:articles_article_changelist"), {"q": text})
    request.user = User(username="bench", is_staff=True, is_superuser=True, is_active=True)
    request._messages = CookieStorage(request)
    response = admin.site._registry[Article].changelist_view(request)
    return response.render()


def report(label, measured, url):
    (ms, cpu, sql), queries, shown = measured
    print(
        f"{label:<28} {ms:7.1f} ms {cpu:7.1f} ms cpu {sql:7.1f} ms sql  {queries:2d} queries  {shown:3d} results  {url}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    client = Client(HTTP_HOST="localhost")
    print(f"{connection.vendor}, {Article.objects.published().count():,} live stories, median of {options.repeat}")
    for label, params in SEARCHES + filtered_searches():
        url = f"{reverse('articles:search')}?{urlencode(params)}"
        report(label, measure(lambda url=url: client.get(url), options.repeat), url)
    for label, text in DESK_SEARCHES:
        measured = measure(lambda text=text: desk_search(text), options.repeat, shown_marker=b'name="_selected_action"')
        report(label, measured, f"{reverse('admin:articles_article_changelist')}?{urlencode({'q': text})}")


if __name__ == "__main__":
    main()
