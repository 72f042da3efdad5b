#!/usr/bin/env python3
"""Outages under load: PostgreSQL restarted, then Redis stopped; print what readers got and the recovery time.

Usage: .venv/bin/python bench/outages.py [--down 5]

The same scenarios as tests/test_outages.py (tests/outages.py), on servers it
starts itself, with a longer outage; the test asserts, this prints.
"""

import argparse
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import outages  # noqa: E402
from tests.servers import running_site  # noqa: E402


def show(title, report):
    print(f"\n{title}")
    for name, value in report.items():
        if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):  # a tally per kind of page
            value = ", ".join(f"{kind}: {dict(statuses)}" for kind, statuses in value.items()) or "none"
        elif isinstance(value, dict):
            value = dict(value)
        print(f"  {name.replace('_', ' '):<24} {value}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--down", type=float, default=5, help="Seconds each outage lasts.")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers it started on the way out
    with running_site(GUNICORN_WORKERS="2", COMMENTS_RATE_LIMIT="1000000", COMMENTS_NETWORK_RATE_LIMIT="1000000") as (
        site,
        postgres,
        redis,
        urls,
    ):
        show("PostgreSQL stopped (fast) and started again", outages.postgres_restart(site, postgres, urls, args.down))
        show("Redis stopped and started again", outages.redis_stop(site, redis, urls, postgres.url(), args.down))


if __name__ == "__main__":
    main()
