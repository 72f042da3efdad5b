#!/usr/bin/env python3
"""Single-request service time of each benchmarked page, in-process, with the page cache off.

The load test (bench/run) measures what the server sustains; this measures
what one request costs, without queueing, which is the better measure of how
a page's cost grows with the archive. Run it with DATABASE_URL naming one of
bench/run's databases (it is topped up to SIZE stories first, as run does):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench_1000000 \\
        .venv/bin/python bench/service_times.py 1000000 [--repeat 15]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.update(PAGE_CACHE_SECONDS="0", BENCH_PING="1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from prepare import prepare  # noqa: E402  (sets Django up)


def get_counting_queries(client, url):
    """(HTTP status, SQL queries) of one GET."""
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        return client.get(url).status_code, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int, help="Stories in the database (topped up if fewer).")
    parser.add_argument("--repeat", type=int, default=15, help="Requests per page; the median is printed.")
    args = parser.parse_args()
    info = prepare(args.size)
    client = Client()
    print(f"{info['stories']:,} stories; median of {args.repeat} requests, page cache off")
    for name, url in {"trivial view": "/bench/ping/", **info["urls"]}.items():
        status, queries = get_counting_queries(client, url)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{name:<22} {statistics.median(timings):8.1f} ms  {queries:3} queries  HTTP {status}  {url}")


if __name__ == "__main__":
    main()
