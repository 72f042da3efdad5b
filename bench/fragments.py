#!/usr/bin/env python3
"""CPU per uncached request of the story with 50 comments and the home page: this checkout, fragments
cold and warm, beside another checkout (main) measured in the same run.

In-process, page cache off, on one of bench/run's kind of databases (topped
up to SIZE stories by bench/prepare.py). Each request's process CPU time
(``time.process_time``, so that the other jobs of a busy machine count
little) and its SQL queries are measured; the trees take turns, round after
round, so that both see the same machine. "Cold" starts a new page
generation before each request (every fragment stale, as after a site-wide
change; the breaking-news banner, kept per generation, is read again too);
"warm" finds every fragment stored. Main has no fragments: its two rows
are its uncached page after a new generation and without one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frag_bench_10000 REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/fragments.py 10000 --base /work/wt-frag-base [--rounds 5 --repeat 10]

The base tree needs no virtualenv of its own: it runs on this one's.
"""

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PAGES = ("story", "home")


def measure(tree, size, repeat, modes):
    """{"page mode": [CPU ms of each request], "page mode queries": n} in ``tree``'s code (a subprocess)."""
    sys.path[:0] = [str(tree), str(tree / "bench")]
    os.environ.update(PAGE_CACHE_SECONDS="0", DJANGO_SETTINGS_MODULE="newsdesk.settings")
    # As production runs: no query log, no debug templates, hashed static files (collected once per tree).
    static = Path(tempfile.gettempdir()) / f"bench-fragments-static-{tree.name}"
    os.environ.update(DEBUG="0", ALLOWED_HOSTS="testserver", SECRET_KEY="bench-" + os.urandom(16).hex())
    os.environ["STATIC_ROOT"] = str(static)
    urls = importlib.import_module("prepare").prepare(size)["urls"]  # sets Django up, from ``tree``
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from pagecache import invalidation

    if not (static / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    results = {}
    queries = []

    def count(execute, *args):
        queries.append(args[0])
        return execute(*args)

    for page in PAGES:
        for mode in modes:
            client.get(urls[page])  # stores the fragments (warm); loads code and connections (both)
            timings = []
            queries.clear()
            for _ in range(repeat):
                if mode == "cold":
                    invalidation.new_generation()
                with connection.execute_wrapper(count):
                    start = time.process_time()
                    response = client.get(urls[page])
                    timings.append((time.process_time() - start) * 1000)
            assert response.status_code == 200, (urls[page], response.status_code)
            results[f"{page} {mode}"] = timings
            results[f"{page} {mode} queries"] = len(queries) // repeat
    return results


def run(tree, args, modes):
    command = [sys.executable, __file__, str(args.size), "--measure", str(tree), "--repeat", str(args.repeat)]
    output = subprocess.run([*command, "--modes", ",".join(modes)], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int, help="Stories in the database (topped up if fewer).")
    parser.add_argument("--base", type=Path, help="The checkout to compare with (main's).")
    parser.add_argument("--rounds", type=int, default=5, help="Turns each tree takes.")
    parser.add_argument("--repeat", type=int, default=10, help="Requests per page and mode in each turn.")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--modes", default="cold,warm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.size, args.repeat, args.modes.split(","))))
        return
    if not args.base:
        parser.error("--base is required")
    trees = {"main": (args.base, ["cold", "warm"]), "this branch": (HERE, ["cold", "warm"])}
    timings, queries = {}, {}
    load = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for name, (tree, modes) in trees.items():
            for key, value in run(tree, args, modes).items():
                if key.endswith("queries"):
                    queries[f"{name} {key.removesuffix(' queries')}"] = value
                else:
                    timings.setdefault(f"{name} {key}", []).extend(value)
        load.append(os.getloadavg()[0])
    database = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    cache = "Redis" if os.environ.get("REDIS_URL") else "file cache"
    print(f"{args.size:,} stories, {database}, {cache}; median CPU of {args.rounds}×{args.repeat} requests per row,")
    print(f"page cache off; load average (1 min) {min(load):.1f}–{max(load):.1f} during the run")
    print("| page | tree | fragments | CPU ms | × main's | queries |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for page in PAGES:
        for mode in ("cold", "warm"):
            base = statistics.median(timings[f"main {page} {mode}"])
            for name in trees:
                key = f"{name} {page} {mode}"
                cpu = statistics.median(timings[key])
                print(f"| {page} | {name} | {mode} | {cpu:.1f} | {cpu / base:.2f} | {queries[key]} |")


if __name__ == "__main__":
    main()
