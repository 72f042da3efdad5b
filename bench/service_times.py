#!/usr/bin/env python3
"""What one request to each benchmarked page costs, in-process with the page cache off, at archive sizes side by side.

The load test (bench/run) measures what the server sustains; this measures
what one request costs, without queueing, which is the better measure of how
a page's cost grows with the archive. Per page and size it prints the CPU
time of the Django process (``time.process_time``) and of its PostgreSQL
backend (``pg_backend_pid()``'s ``/proc/<pid>/schedstat``: the time
``/proc/<pid>/stat`` counts, in nanoseconds rather than 10 ms ticks) per
request, their sum, and the SQL time of the page's queries run again under
EXPLAIN ANALYZE; the last size's over the first's. CPU time is what other
work on a shared machine distorts least. One worker process per size (on
bench/run's database ``PREFIX_SIZE``, topped up to SIZE stories first), the
sizes taking turns page by page, ``--rounds`` times (medians):

    .venv/bin/python bench/service_times.py 100000 1000000 [--repeat 20] [--rounds 3] [--page story]
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.update(PAGE_CACHE_SECONDS="0", BENCH_PING="1")
BENCH = Path(__file__).resolve().parent
METRICS = [("app", "app CPU ms"), ("backend", "PG CPU ms"), ("cpu", "app+PG ms"), ("sql", "SQL ms")]


def backend_seconds(pid):
    """CPU seconds the PostgreSQL backend ``pid`` has used (it runs on this machine)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except OSError:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(size):
    """Serve the parent's requests for measurements, one JSON line each, on stdin and stdout."""
    sys.path.insert(0, str(BENCH))
    from django.db import connection
    from django.test import Client
    from explain_pages import explain, queries_of
    from prepare import prepare  # sets Django up

    info = prepare(size)
    client = Client()
    urls = {"trivial view": "/bench/ping/", **info["urls"]}
    print(json.dumps({"stories": info["stories"], "pages": list(urls)}), flush=True)
    for line in sys.stdin:
        name, repeat = json.loads(line)
        status = client.get(urls[name]).status_code  # warms the caches
        queries = queries_of(client, urls[name])
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        wall, app, backend = time.perf_counter(), time.process_time(), backend_seconds(pid)
        for _ in range(repeat):
            client.get(urls[name])
        wall, app, backend = (
            time.perf_counter() - wall,
            time.process_time() - app,
            backend_seconds(pid) - backend,
        )
        selects = [(sql, params) for sql, params in queries if sql.lstrip().upper().startswith("SELECT")]
        sql = sum(explain(sql, params)[0] for sql, params in selects)
        per_request = {"wall": wall, "app": app, "backend": backend}
        reply = {key: value * 1000 / repeat for key, value in per_request.items()}
        reply.update(cpu=reply["app"] + reply["backend"], sql=sql, queries=len(queries), status=status)
        print(json.dumps(reply), flush=True)


class Worker:
    """A worker process on one size's database."""

    def __init__(self, size, args, env):
        env = {**env, "DATABASE_URL": f"{args.postgres}/{args.db_prefix}_{size}"}
        command = [sys.executable, __file__, str(size), "--worker"]
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.info = self.read()

    def read(self):
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
        raise SystemExit(f"worker exited with {self.process.wait()}")

    def measure(self, page, repeat):
        self.process.stdin.write(json.dumps([page, repeat]) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", type=int, nargs="+", help="Stories in each database (topped up if fewer).")
    parser.add_argument("--repeat", type=int, default=20, help="Requests per page and turn.")
    parser.add_argument("--rounds", type=int, default=3, help="Turns per page and size; medians are printed.")
    parser.add_argument("--page", action="append", help="Only these pages (names as bench/prepare.py gives them).")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server, no database.")
    parser.add_argument("--db-prefix", default="newsdesk_bench", help="Databases are named PREFIX_SIZE.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.sizes[0])
    # The production settings, as bench/run serves them, static files collected for their manifest.
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="newsdesk-service-times-"),
        "LOG_LEVEL": "ERROR",
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=BENCH.parent, env=env, check=True)
    workers = [Worker(size, args, env) for size in args.sizes]
    pages = [page for page in workers[0].info["pages"] if not args.page or page in args.page]
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    results = {}
    for page in pages:
        turns = [[] for _ in workers]
        for turn in range(args.rounds):
            # The sizes take turns, the first one alternating, so that a change of load falls on both.
            order = list(enumerate(workers))[:: -1 if turn % 2 else 1]
            for n, each in order:
                turns[n].append(each.measure(page, args.repeat))
        results[page] = [
            {**samples[0], **{key: statistics.median(s[key] for s in samples) for key, _ in METRICS}}
            for samples in turns
        ]
    for each in workers:
        each.close()
    print_table(workers, results, args)


def print_table(workers, results, args):
    sizes = [f"{each.info['stories'] // 1000:,}k" for each in workers]
    print(f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"per request, medians of {args.rounds} turns of {args.repeat} requests; ×: {sizes[-1]} over {sizes[0]}")
    head = f"{'page':<22}"
    for _, title in METRICS:
        head += f" | {title:^{9 * len(sizes) + 6}}"
    print(head + " | queries")
    print(f"{'':<22}" + f" | {''.join(f'{size:>9}' for size in sizes)}{'×':>6}" * len(METRICS))
    for page, per_size in results.items():
        line = f"{page:<22}"
        for key, _ in METRICS:
            values = [result[key] for result in per_size]
            line += f" | {''.join(f'{value:>9.2f}' for value in values)}{values[-1] / max(values[0], 1e-9):>6.2f}"
        statuses = {result["status"] for result in per_size}
        line += " | " + " ".join(str(result["queries"]) for result in per_size)
        print(line + ("" if statuses == {200} else f"  HTTP {sorted(statuses)}"))


if __name__ == "__main__":
    main()
