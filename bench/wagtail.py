#!/usr/bin/env python3
"""CPU per request of Newsdesk's uncached pages beside Wagtail 8's demo site, measured in one run.

Usage (from the repository root, with the project's virtualenv python):

    .venv/bin/python bench/wagtail.py --bakerydemo /work/bakerydemo   # a checkout of wagtail/bakerydemo
    .venv/bin/python bench/wagtail.py                                  # the stand-in site, bench/wagtail_site/

Both sites are served by gunicorn with newsdesk/gunicorn.py (same version, same workers, no access
log, no worker recycling), on one PostgreSQL, with no page cache on either side. The Wagtail site gets
a virtualenv of its own (wagtail==8.0.1) and a database of its own, filled by its `load_initial_data`.
The figure is server-side process CPU: the gunicorn workers' utime+stime (from /proc) before and
after a fixed number of requests, divided by that number. The pages take turns, round after round,
so that a busy moment of the shared machine weighs on all of them alike. See bench/README.md.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import psycopg2

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOST = "127.0.0.1"
WAGTAIL = "wagtail==8.0.1"
STANDIN = HERE / "wagtail_site"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def load_run():
    """bench/run as a module (its file has no .py suffix): its Server and ensure_database."""
    loader = SourceFileLoader("bench_run", str(HERE / "run"))
    module = module_from_spec(spec_from_loader("bench_run", loader))
    loader.exec_module(module)
    return module


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bakerydemo", type=Path, help="A checkout of wagtail/bakerydemo (default: the stand-in).")
    parser.add_argument("--workdir", type=Path, default=Path.home() / ".cache/newsdesk-bench-wagtail")
    parser.add_argument("--size", type=int, default=100_000, help="Stories in Newsdesk's bench database.")
    parser.add_argument("--requests", type=int, default=200, help="Requests per page in each round.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4, help="Requests in flight at once.")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server, no database.")
    parser.add_argument("--db-prefix", default="newsdesk_bench", help="Databases are named PREFIX_...")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--newsdesk-port", type=int, default=8340)
    parser.add_argument("--wagtail-port", type=int, default=8341)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: its config's).")
    parser.add_argument("--fresh", action="store_true", help="Drop and reload the Wagtail site's database.")
    return parser.parse_args()


class WagtailSite:
    """The Wagtail project to serve: a bakerydemo checkout, or a copy of the stand-in in the work dir."""

    def __init__(self, args):
        if args.bakerydemo:
            self.kind, self.package, self.directory = "bakerydemo", "bakerydemo", args.bakerydemo.resolve()
            self.base_settings = "bakerydemo.settings.base"
            if not (self.directory / "bakerydemo/settings/base.py").exists():
                raise SystemExit(f"{self.directory} is not a checkout of wagtail/bakerydemo")
        else:
            self.kind, self.package = "stand-in", "standin"
            self.directory = args.workdir / "standin-site"
            self.base_settings = "standin.settings"
            # A fresh copy each run; the migrations made from its models stay with the copy.
            migrations = {app: self.directory / f"standin/{app}/migrations" for app in ("base", "blog")}
            kept = {app: Path(tempfile.mkdtemp()) / "m" for app in migrations}
            for app, path in migrations.items():
                if path.exists():
                    shutil.copytree(path, kept[app])
            shutil.rmtree(self.directory, ignore_errors=True)
            shutil.copytree(STANDIN, self.directory)
            for app, path in migrations.items():
                if kept[app].exists():
                    shutil.copytree(kept[app], path)
        self.workdir = args.workdir
        self.venv = args.workdir / f"venv-{self.kind}"
        self.database = f"{args.db_prefix}_wagtail_{self.kind.replace('-', '')}"
        self.database_url = f"{args.postgres}/{self.database}"

    def python(self):
        return str(self.venv / "bin/python")

    def install(self):
        """A virtualenv with Wagtail 8 (and, for bakerydemo, its other requirements), made once."""
        stamp = self.venv / "installed.txt"
        wanted = [WAGTAIL, "gunicorn==27.0.1", "psycopg2-binary==2.9.13", "dj-database-url==3.1.2"]
        requirements = self.directory / "requirements/base.txt"
        if self.kind == "bakerydemo" and requirements.exists():
            # Its own pins, except the Wagtail and database driver chosen here.
            skip = ("wagtail==", "wagtail>", "wagtail<", "wagtail~", "psycopg", "gunicorn")
            lines = requirements.read_text().splitlines()
            wanted += [
                line.split("#")[0].strip()
                for line in lines
                if line.split("#")[0].strip() and not line.lower().startswith(skip) and not line.startswith("-")
            ]
        if stamp.exists() and stamp.read_text() == "\n".join(wanted):
            return
        print(f"[wagtail] installing {WAGTAIL} into {self.venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        subprocess.run([self.python(), "-m", "pip", "install", "-q", *wanted], check=True)
        stamp.write_text("\n".join(wanted))

    def env(self):
        settings = self.workdir / "bench_wagtail_settings.py"
        settings.write_text(SETTINGS.format(base=self.base_settings))
        return {
            **os.environ,
            "PYTHONPATH": f"{self.directory}{os.pathsep}{self.workdir}",
            "DJANGO_SETTINGS_MODULE": "bench_wagtail_settings",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "STATIC_ROOT": str(self.workdir / f"static-{self.kind}"),
            "MEDIA_ROOT": str(self.workdir / f"media-{self.kind}"),
        }

    def manage(self, env, *command):
        script = "import sys, django; from django.core.management import call_command; django.setup(); "
        script += "call_command(*sys.argv[1:])"
        subprocess.run([self.python(), "-c", script, *command], cwd=self.directory, env=env, check=True)

    def prepare(self, args, env):
        """The database migrated and loaded with the demo data (once, or again with --fresh)."""
        connection = psycopg2.connect(f"{args.postgres}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            if args.fresh:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}"')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.database])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{self.database}"')
        connection.close()
        if self.kind == "stand-in":
            self.manage(env, "makemigrations", "base", "blog", "--verbosity=0")
        self.manage(env, "migrate", "--verbosity=0")
        if self.count_pages() <= 2:  # Wagtail's own root and welcome page only
            print(f"[wagtail] load_initial_data into {self.database} ...", file=sys.stderr)
            self.manage(env, "load_initial_data")
        self.manage(env, "collectstatic", "--noinput", "--verbosity=0")

    def count_pages(self):
        connection = psycopg2.connect(self.database_url)
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM wagtailcore_page")
            count = cursor.fetchone()[0]
        connection.close()
        return count

    def blog_page(self, env):
        """The address of the first live blog post in tree order."""
        script = (
            "import django; django.setup(); from django.apps import apps; "
            "print(apps.get_model('blog', 'BlogPage').objects.live().order_by('path').first().url)"
        )
        result = subprocess.run(
            [self.python(), "-c", script], cwd=self.directory, env=env, check=True, capture_output=True, text=True
        )
        return result.stdout.strip().splitlines()[-1]


SETTINGS = '''"""Written by bench/wagtail.py: the site's own settings, production-like, for the benchmark."""

import os

import dj_database_url

from {base} import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {{"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}}
STATIC_ROOT = os.environ["STATIC_ROOT"]
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
LOGGING = {{"version": 1, "disable_existing_loggers": False, "root": {{"level": "ERROR"}}}}
'''


class Gunicorn:
    """The Wagtail site under gunicorn with Newsdesk's gunicorn config, stopped on exit."""

    def __init__(self, site, env, port, log):
        self.site, self.env, self.port, self.log = site, env, port, log

    def __enter__(self):
        command = [
            str(self.site.venv / "bin/gunicorn"),
            *("-c", str(ROOT / "newsdesk/gunicorn.py"), "--no-control-socket", f"{self.site.package}.wsgi"),
        ]
        self.process = subprocess.Popen(
            command, cwd=self.site.directory, env=self.env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{HOST}:{self.port}/", timeout=5).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"the Wagtail site's gunicorn exited; see {self.log.name}") from None
                time.sleep(0.3)
        raise SystemExit(f"the Wagtail site did not answer within 60 s; see {self.log.name}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def workers_cpu(master_pid):
    """{pid: CPU seconds} of the master's children that are gunicorn workers (not e.g. Newsdesk's job worker)."""
    master_cmdline = Path(f"/proc/{master_pid}/cmdline").read_bytes()
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    cpu = {}
    for pid in children:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if cmdline != master_cmdline and not cmdline.startswith(b"gunicorn: worker"):  # setproctitle's
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return cpu


def fetch_many(port, path, count, connections):
    """GET path count times over several connections; (statuses seen, bytes of the last response)."""
    statuses, sizes, lock = {}, [], threading.Lock()
    remaining = iter(range(count))

    def client():
        connection = HTTPConnection(HOST, port, timeout=60)
        while True:
            with lock:
                if next(remaining, None) is None:
                    break
            connection.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": "localhost"})
            response = connection.getresponse()
            body = response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                sizes.append(len(body))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, sizes[-1]


def measure(pages, args):
    """CPU ms per request of each page, one sample per round, the pages taking turns."""
    samples = {page["label"]: [] for page in pages}
    for page in pages:  # warm: renditions built, templates loaded, connections open in every worker
        fetch_many(page["port"], page["path"], 4 * (args.workers or os.cpu_count() * 2 + 1), args.connections)
    for round_number in range(args.rounds):
        for page in pages if round_number % 2 == 0 else reversed(pages):
            before = workers_cpu(page["master"])
            statuses, size = fetch_many(page["port"], page["path"], args.requests, args.connections)
            after = workers_cpu(page["master"])
            if set(after) != set(before):
                raise SystemExit(f"{page['label']}: a gunicorn worker was replaced during the round")
            if set(statuses) != {200}:
                raise SystemExit(f"{page['label']} ({page['path']}): answers {statuses}")
            page["bytes"] = size
            cpu = sum(after.values()) - sum(before.values())
            samples[page["label"]].append(cpu * 1000 / args.requests)
        print(f"  round {round_number + 1}/{args.rounds} done; load average {load_average()}", file=sys.stderr)
    return samples


def load_average():
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def newsdesk_env(args, workdir):
    """bench/run's production-like environment, with the page cache off."""
    return {
        **os.environ,
        "DATABASE_URL": f"{args.postgres}/{args.db_prefix}_{args.size}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": f"bench-wagtail-{os.getpid()}",
        "STATIC_ROOT": str(workdir / "static-newsdesk"),
        "BENCH_PING": "1",
        "PAGE_CACHE_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }


def gunicorn_env(args, port):
    """The same gunicorn settings for both sites (newsdesk/gunicorn.py reads these)."""
    env = {
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
        # No job worker beside Newsdesk's gunicorn: it is not serving pages, and Wagtail has none.
        "TASKS_EMBEDDED_WORKER": "0",
    }
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    return env


def main():
    args = parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    run = load_run()
    site = WagtailSite(args)
    site.install()
    wagtail_env = {**site.env(), **gunicorn_env(args, args.wagtail_port)}
    site.prepare(args, wagtail_env)
    blog_path = site.blog_page(wagtail_env)

    env = {**newsdesk_env(args, args.workdir), **gunicorn_env(args, args.newsdesk_port)}
    run.ensure_database(args.postgres, f"{args.db_prefix}_{args.size}")
    print(f"[newsdesk] preparing {args.db_prefix}_{args.size} ...", file=sys.stderr)
    prepared = subprocess.run(
        [sys.executable, "bench/prepare.py", str(args.size)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(prepared.stdout.strip().splitlines()[-1])
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    started = load_average()
    with open(args.workdir / "gunicorn.log", "w") as log:
        newsdesk = run.Server(env, args.newsdesk_port, log)
        with newsdesk, Gunicorn(site, wagtail_env, args.wagtail_port, log) as wagtail:
            pages = [
                {"label": "newsdesk story", "port": args.newsdesk_port, "path": info["urls"]["story"]},
                {"label": "newsdesk home", "port": args.newsdesk_port, "path": "/"},
                {"label": f"{site.kind} blog page", "port": args.wagtail_port, "path": blog_path},
                {"label": f"{site.kind} home", "port": args.wagtail_port, "path": "/"},
            ]
            for page in pages:
                page["master"] = (newsdesk if page["port"] == args.newsdesk_port else wagtail).process.pid
            samples = measure(pages, args)
    report(pages, samples, site, info, args, started)


def report(pages, samples, site, info, args, started):
    workers = args.workers or os.cpu_count() * 2 + 1
    print(
        f"\nCPU per request of the gunicorn workers ({workers} sync workers each, {args.connections} connections,"
        f" {args.requests} requests x {args.rounds} rounds per page); load average {started} -> {load_average()}"
    )
    if site.kind == "stand-in":
        print("Wagtail side: the STAND-IN site (bench/wagtail_site), not bakerydemo; see bench/README.md")
    print(f"{'page':<26}{'median ms':>10}{'min':>8}{'max':>8}{'bytes':>9}  address")
    medians = {}
    for page in pages:
        values = samples[page["label"]]
        medians[page["label"]] = statistics.median(values)
        print(
            f"{page['label']:<26}{medians[page['label']]:>10.2f}{min(values):>8.2f}{max(values):>8.2f}"
            f"{page['bytes']:>9,}  {page['path']}"
        )
    story, home = medians["newsdesk story"], medians["newsdesk home"]
    blog, wagtail_home = medians[f"{site.kind} blog page"], medians[f"{site.kind} home"]
    print(f"\nnewsdesk story ({info['comments_on_story']} comments) / {site.kind} blog page: {story / blog:.2f}x")
    print(f"newsdesk home / {site.kind} home: {home / wagtail_home:.2f}x")
    (args.workdir / "results.json").write_text(json.dumps({"pages": pages, "samples": samples}, indent=2))
    print(f"Raw results: {args.workdir / 'results.json'}")


if __name__ == "__main__":
    main()
