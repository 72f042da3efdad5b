#!/usr/bin/env python3
"""Every SQL query of each benchmarked page, run again under EXPLAIN (ANALYZE, BUFFERS), and a profile.

What grows with the archive shows here: per page, the queries with their
execution time, the buffers they touched and their plan's top node; with
--plans N the text plans of each page's N slowest queries; with --profile the
functions that took the most time in one request (cProfile, page cache off).
Run it on one of bench/run's databases (PostgreSQL; topped up to SIZE first):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench_1000000 \\
        .venv/bin/python bench/explain_pages.py 1000000 [--plans 2] [--profile] [--page story]
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
from pathlib import Path

os.environ.update(PAGE_CACHE_SECONDS="0", BENCH_PING="1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from prepare import prepare  # noqa: E402  (sets Django up)


def queries_of(client, url):
    """[(sql, params)] of one GET of ``url``, in the order they ran."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(url)
    return seen


def explain(sql, params, text=False):
    """The plan of one query, run for real: (ms, shared buffers hit, read, top node) or the text plan."""
    options = "ANALYZE, BUFFERS" + ("" if text else ", FORMAT JSON")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        rows = cursor.fetchall()
    if text:
        return "\n".join(row[0] for row in rows)
    plan = rows[0][0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
    top = plan["Plan"]
    return plan["Execution Time"], top.get("Shared Hit Blocks", 0), top.get("Shared Read Blocks", 0), top["Node Type"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int, help="Stories in the database (topped up if fewer).")
    parser.add_argument("--page", action="append", help="Only these pages (names as bench/prepare.py gives them).")
    parser.add_argument("--plans", type=int, default=0, help="Print the text plans of each page's N slowest queries.")
    parser.add_argument("--profile", action="store_true", help="Print a cProfile of one request to each page.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN (ANALYZE, BUFFERS) needs PostgreSQL: set DATABASE_URL")
    info = prepare(args.size)
    client = Client()
    print(f"{info['stories']:,} stories")
    for name, url in info["urls"].items():
        if args.page and name not in args.page:
            continue
        client.get(url)  # warm: the same buffers cached as for a repeated request
        queries = [
            (sql, params) for sql, params in queries_of(client, url) if sql.lstrip().upper().startswith("SELECT")
        ]
        timed = [(explain(sql, params), sql, params) for sql, params in queries]
        total = sum(result[0] for result, _, _ in timed)
        print(f"\n{name}  {url}\n  {len(queries)} SELECTs, {total:.2f} ms of SQL")
        for (ms, hit, read, node), sql, _ in timed:
            print(f"  {ms:8.2f} ms  {hit:>7} hit {read:>6} read  {node:<18} {sql[:110]}")
        for _, sql, params in sorted(timed, key=lambda row: -row[0][0])[: args.plans]:
            print(f"\n  {sql}\n" + explain(sql, params, text=True))
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
