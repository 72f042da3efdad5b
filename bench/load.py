#!/usr/bin/env python3
"""Load: wrk on the home page and a story, then 20 readers posting comments at once; print the numbers.

Usage (from the repository root, with the project's virtualenv python):

    .venv/bin/python bench/load.py                   # 60 s of wrk per page at 64 connections, 30 s of comments
    .venv/bin/python bench/load.py --duration 10 --comment-seconds 10

Starts its own PostgreSQL cluster, Redis and gunicorn (tests/servers.py: the
real newsdesk/gunicorn.py, DEBUG off), so nothing else on the machine is
touched. The page cache is on, as in production. Every comment the site
accepted (answered with a redirect to the story) must be a stored row.
"""

import argparse
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import wrk_report  # noqa: E402

from tests import outages  # noqa: E402
from tests.servers import running_site  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of wrk per page.")
    parser.add_argument("--connections", type=int, default=64, help="wrk's open connections.")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads.")
    parser.add_argument("--stories", type=int, default=500, help="Stories in the generated archive.")
    parser.add_argument("--clients", type=int, default=20, help="Readers posting comments at once.")
    parser.add_argument("--comment-seconds", type=int, default=30, help="Seconds of comment posting.")
    parser.add_argument("--workers", default=None, help="gunicorn workers (default: its config's).")
    return parser.parse_args()


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers it started on the way out
    wrk_report.ensure_wrk()
    env = {
        "COMMENTS_RATE_LIMIT": "1000000",
        "COMMENTS_NETWORK_RATE_LIMIT": "1000000",
    }  # 20 readers from one address: the limit is not what is measured
    if args.workers:
        env["GUNICORN_WORKERS"] = args.workers
    print(f"Preparing {args.stories} stories ...", file=sys.stderr)
    with running_site(args.stories, **env) as (site, postgres, _, urls):
        workers = site.env.get("GUNICORN_WORKERS", "newsdesk/gunicorn.py's default")
        print(
            f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s; gunicorn workers: {workers}; "
            f"{os.cpu_count()} CPUs"
        )
        print(f"{'page':<10}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'errors':>8}")
        for label in ("home", "story"):
            site.get(urls[label])  # fills the page cache
            r = wrk_report.wrk(site.url(urls[label]), args.threads, args.connections, args.duration)
            print(
                f"{label:<10}{r['requests']:>10,}{r['rps']:>9,.0f}{r['p50']:>9.2f}{r['p90']:>9.2f}"
                f"{r['p99']:>9.2f}{r['errors']:>8}  {r['error_kinds'] or ''}"
            )
        race = outages.comments_race(site, urls, postgres.url(), clients=args.clients, seconds=args.comment_seconds)
    print(f"\nComments: {race['clients']} clients for {race['seconds']} s")
    print(f"  posts {race['posts']} ({race['posts_per_second']}/s), answers {dict(race['statuses'])}")
    print(
        f"  accepted {race['accepted']}, stored {race['stored']}, accepted but lost {race['lost']}, "
        f"stored but refused {race['stored_but_refused']}"
    )
    print(f"  latency p50 {race['p50_ms']} ms, p99 {race['p99_ms']} ms")


if __name__ == "__main__":
    main()
