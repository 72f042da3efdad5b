#!/usr/bin/env python3
"""Time `manage.py import_wordpress` on generated exports, on PostgreSQL, and print throughput and peak memory.

Usage (from the repository root, with the project's virtualenv python):

    .venv/bin/python bench/import_wordpress.py                      # 10k and 100k posts
    .venv/bin/python bench/import_wordpress.py --posts 10000

Each size gets a fresh database (``nd_bench_import_<posts>`` on the server in
BENCH_PG, by default postgres@127.0.0.1:5432): an export of N posts with on
average 5 threaded comments each and N/5 attachments (48×32 JPEG files) is
generated, then imported in a child process whose peak resident memory
(ru_maxrss) and CPU time (user + system) are read when it ends: the
machine is shared, so wall time alone says more about the neighbours than
about the import; CPU items/s is what the code costs. The target is 100,000 posts, 500,000
comments and 20,000 attachments in under 15 minutes with under 1 GB.
Renditions are deferred (``--defer-renditions``); ``build_renditions`` makes
them afterwards and is not timed here (see bench/renditions.py).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import generate  # noqa: E402

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def fresh_database(name):
    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{SERVER}/{name}"


def measure(posts, workdir):
    export, media = workdir / f"export-{posts}.xml", workdir / f"uploads-{posts}"
    started = time.monotonic()
    generate.write(export, posts, comments_per_post=5, attachments=posts // 5, media_dir=media)
    generated = time.monotonic() - started
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(f"nd_bench_import_{posts}"),
        "MEDIA_ROOT": str(workdir / f"media-{posts}"),
        "PRIVATE_MEDIA_ROOT": str(workdir / f"private-{posts}"),
        "CACHE_KEY_PREFIX": f"bench-import-{posts}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [*manage, "import_wordpress", str(export), "--media-dir", str(media), "--defer-renditions"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = max(after.ru_maxrss, before.ru_maxrss) / 1024
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = result.stdout
    items = sum(int(word) for line in report.splitlines() if ":" in line for word in _created(line))
    print(f"\n{posts:,} posts, export {export.stat().st_size / 2**20:,.0f} MB (generated in {generated:.0f} s)")
    print(report.strip())
    print(
        f"  import: {seconds:,.1f} s, {items:,} items stored, {items / seconds:,.0f} items/s, "
        f"CPU {cpu:,.1f} s ({items / cpu:,.0f} items per CPU second), peak memory {peak_mb:,.0f} MB, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return seconds, cpu, items, peak_mb


def _created(line):
    words = line.split()
    return [words[i - 1] for i, word in enumerate(words) if word.rstrip(",") == "created" and i > 0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", default="10000,100000", help="Comma-separated sizes (default 10000,100000).")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        for posts in [int(size) for size in args.posts.split(",")]:
            rows.append((posts, *measure(posts, Path(folder))))
    print("\n   posts      items    seconds   items/s   CPU s   items/CPU s   peak MB")
    for posts, seconds, cpu, items, peak in rows:
        print(
            f"{posts:>8,} {items:>10,} {seconds:>10,.1f} {items / seconds:>9,.0f} {cpu:>7,.1f} "
            f"{items / cpu:>13,.0f} {peak:>9,.0f}"
        )
    print("(target: 100k posts < 900 s, about 690 items/s, under 1024 MB)")


if __name__ == "__main__":
    main()
