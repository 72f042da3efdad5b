#!/usr/bin/env python3
"""The home page under 64 connections as a hostile reader would load it, against the same load done politely.

Usage (from the repository root, with the project's virtualenv python):

    .venv/bin/python bench/hostile_readers.py                 # 2,000 stories, 20 s per phase
    .venv/bin/python bench/hostile_readers.py --duration 10

gunicorn with the production settings on PostgreSQL and a redis-server this
script starts on a free port (so stopping it disturbs nobody), four phases in
one run, each with wrk and the same Lua script (bench/hostile_readers.lua):

1. the plain home page;
2. the home page with a random query string on every request;
3. the same while a reader posts a comment that awaits moderation every 0.5 s;
4. (after the rounds) the same while Redis is stopped for 10 s in the middle.

Phases 1-3 are repeated ``--rounds`` times, and each round's phases 2 and 3
are divided by its phase 1. On a shared machine whose load drifts, the
side-by-side phases are the fairer comparison: half the connections load the
plain page and half the random query strings in the same seconds (without,
then with the pending comments), and the ratio is of their answers. It
prints requests/s, p99 and the answers by status of each phase.
Targets (issue 20): phases 2 and 3 at least 0.9 × phase 1; phase 4 no answer
of 500. See bench/README.md.
"""

import argparse
import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from importlib.machinery import SourceFileLoader
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SCRIPT = ROOT / "bench" / "hostile_readers.lua"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def load_bench_run():
    """bench/run's gunicorn Server, database and wrk helpers (it is a script, not a module)."""
    loader = SourceFileLoader("bench_run", str(ROOT / "bench" / "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


bench_run = load_bench_run()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=20, help="Seconds of load per phase (at least 14).")
    parser.add_argument("--rounds", type=int, default=2, help="How many times phases 1-3 run (at least 1).")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads.")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server, no database.")
    parser.add_argument("--database", default="newsdesk_bench_hostile")
    parser.add_argument("--redis-down", type=int, default=10, help="Seconds Redis is stopped in phase 4.")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.duration < args.redis_down + 4:
        parser.error("--duration must leave 2 s of load on each side of the Redis outage")
    return args


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this run's own, bounded as the README advises (maxmemory, volatile-lru)."""

    def __init__(self, directory):
        self.directory, self.port = directory, free_port()

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        command += ["--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru", "--dir", str(self.directory)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)

    def keys(self):
        output = subprocess.run(["redis-cli", "-p", str(self.port), "dbsize"], capture_output=True, text=True)
        return int(output.stdout.strip() or 0)


def wrk(url, args, mode):
    command = [
        "wrk",
        "--latency",
        "--timeout",
        "10s",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
    ]
    command += ["-H", "Accept-Encoding: gzip", "-s", str(SCRIPT), url, "--", mode]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    statuses, by_kind = {}, {}
    for kind, code, n in re.findall(r"^status (\w+) (\d+) (\d+)$", output, re.M):
        statuses[int(code)] = statuses.get(int(code), 0) + int(n)
        by_kind[kind] = by_kind.get(kind, 0) + int(n)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p99": float(p99[1]) * UNITS[p99[2]],
        "statuses": statuses,
        "by_kind": by_kind,
        "socket_errors": sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)),
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class PendingCommenter(threading.Thread):
    """A reader posting a comment (to await moderation) every ``interval`` seconds, on time however slow answers are.

    Like a browser, it fetches a CSRF token once and posts with it; each post runs in a thread of its own.
    """

    def __init__(self, server, article_id, interval=0.5):
        super().__init__(daemon=True)
        self.server, self.article_id, self.interval = server, article_id, interval
        self.stopped = threading.Event()
        self.answers = {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)

    def run(self):
        token = json.load(self.opener.open(self.server.url("/comments/token/")))["token"]
        posts = []
        n = 0
        while not self.stopped.wait(self.interval):
            n += 1
            posts.append(threading.Thread(target=self.post, args=(token, n)))
            posts[-1].start()
        for post in posts:
            post.join()

    def post(self, token, n):
        data = {
            "csrfmiddlewaretoken": token,
            "author_name": "Hostile Reader",
            "email": f"reader-{n}-{secrets.token_hex(4)}@example.org",
            "body": f"Pending remark number {n}, {secrets.token_hex(8)}.",
            "parent": "",
            "website": "",
        }
        url = self.server.url(f"/comments/post/{self.article_id}/")
        try:
            status = self.opener.open(urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())).status
        except urllib.error.HTTPError as error:
            status = error.code
        self.answers[status] = self.answers.get(status, 0) + 1


def story_id(env, path):
    """The id of the story at ``path``, asked of Django in the benchmark's database."""
    code = (
        "import django; django.setup(); from django.urls import resolve; from articles.models import Article; "
        f"m = resolve({path!r}); print(Article.objects.get(slug=m.kwargs['slug']).pk)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(result.stdout.strip())


def main():
    args = parse_args()
    bench_run.ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-hostile-"))
    redis = RedisServer(workdir)
    redis.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "REDIS_URL": f"redis://{HOST}:{redis.port}/0",
        "STATIC_ROOT": str(workdir / "static"),
        "BENCH_PING": "1",
        "GUNICORN_BIND": f"{HOST}:{args.port}",
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "ERROR",
        # The commenter posts 2 a second over plain HTTP: no rate limit nor secure-only cookies in the way.
        "COMMENTS_RATE_LIMIT": "100000",
        "COMMENTS_NETWORK_RATE_LIMIT": "100000",
        "SECURE_COOKIES": "0",
    }
    bench_run.ensure_database(args.postgres, args.database)
    print(f"preparing {args.stories:,} stories in {args.database} ...", file=sys.stderr)
    prepared = subprocess.run(
        [sys.executable, "bench/prepare.py", str(args.stories)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    story = json.loads(prepared.stdout.strip().splitlines()[-1])["urls"]["story"]
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    phases = []
    try:
        with open(workdir / "gunicorn.log", "w") as log, bench_run.Server(env, args.port, log) as server:
            url = server.url("/")

            article_id = story_id(env, story)

            def phase(label, mode, during=None):
                server.fetch("/")
                keys_before = redis.keys()
                if during:
                    during.start()
                result = wrk(url, args, mode)
                result.update(label=label, added_keys=redis.keys() - keys_before)
                if isinstance(during, PendingCommenter):
                    during.stopped.set()
                    during.join()
                    result["comment_posts"] = during.answers
                phases.append(result)
                print(f"  {label:<44} {result['rps']:>8,.0f} req/s  statuses {result['statuses']}", file=sys.stderr)
                return result

            for round_number in range(1, args.rounds + 1):
                plain = phase(f"{round_number}. plain home page", "plain")
                for result in (
                    phase(f"{round_number}. random query strings", "random"),
                    phase(
                        f"{round_number}. random query strings + pending comments",
                        "random",
                        during=PendingCommenter(server, article_id),
                    ),
                ):
                    result["ratio"] = result["rps"] / plain["rps"]
                plain["ratio"] = 1.0

            # The same comparisons side by side: half the connections plain, half with random query
            # strings, in the same seconds, so the machine's drifting load falls on both alike.
            for label, during in (
                ("side by side: random / plain", None),
                ("side by side + pending comments: random / plain", PendingCommenter(server, article_id)),
            ):
                result = phase(label, "split", during=during)
                result["ratio"] = result["by_kind"]["random"] / result["by_kind"]["plain"]

            def outage():
                time.sleep((args.duration - args.redis_down) / 2)
                redis.stop()
                time.sleep(args.redis_down)
                redis.start()

            outage_phase = phase(
                f"random query strings, Redis stopped {args.redis_down} s",
                "random",
                during=threading.Thread(target=outage),
            )
            outage_phase["ratio"] = outage_phase["rps"] / plain["rps"]
    finally:
        if redis.process.poll() is None:
            redis.stop()
    print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, home page; {os.cpu_count()} CPUs")
    print(f"{'phase':<52}{'req/s':>9}{'ratio':>8}{'p99 ms':>9}{'500s':>7}{'other non-200':>15}{'new keys':>10}")
    for result in phases:
        statuses = result["statuses"]
        other = sum(n for code, n in statuses.items() if code not in (200, 500)) + result["socket_errors"]
        print(
            f"{result['label']:<52}{result['rps']:>9,.0f}{result['ratio']:>8.2f}{result['p99']:>9.1f}"
            f"{statuses.get(500, 0):>7}{other:>15}{result['added_keys']:>10}"
        )
    for label in ("random query strings", "random query strings + pending comments"):
        ratios = sorted(r["ratio"] for r in phases if r["label"].split(". ", 1)[-1] == label)
        print(
            f"median ratio, {label}: {ratios[len(ratios) // 2]:.2f} (rounds: {', '.join(f'{x:.2f}' for x in ratios)})"
        )
    posts = {}
    for result in phases:
        for status, n in result.get("comment_posts", {}).items():
            posts[status] = posts.get(status, 0) + n
    print(f"comment posts, by status: {posts} (302: stored, awaiting moderation)")
    (workdir / "results.json").write_text(json.dumps(phases, indent=2))
    print(f"Raw results: {workdir / 'results.json'}")


if __name__ == "__main__":
    main()
