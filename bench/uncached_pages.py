#!/usr/bin/env python3
"""CPU per uncached request of the story with 50 comments and the home page, of two checkouts side by side.

    .venv/bin/python bench/uncached_pages.py --against /work/wt-base \\
        [--postgres postgres://postgres@127.0.0.1:5432 --redis redis://127.0.0.1:6379/2] \\
        [--db-prefix uncached_bench] [--stories 2000] [--rounds 5] [--repeat 20] [--fragments warm,cold]

Each checkout (this one, and the one ``--against`` names, e.g. a worktree of
main) gets its own database (SQLite files in a temporary directory, or
PostgreSQL databases named after ``--db-prefix``), filled the same way:
``--stories`` generated stories, each with one of 12 painted lead photos
and their renditions, and the newest story of the largest section with 50
approved comments (every fifth a reply). Then worker processes, one per
checkout and round, alternate (A B A B ...), so both see the same machine
load. Each request is timed by ``time.process_time()`` (CPU of this
process: Django, the ORM, templates, the database driver; a PostgreSQL
server's own work is not in it, a SQLite one's is), with the page cache
off; each worker also counts the SQL queries, model instances built and
``storage.url`` calls of one request. The table gives medians over all
rounds, and the ratio of this checkout's CPU to the other's.

``--fragments`` says how the pages' fragments (pagecache/fragments.py) are
found: ``warm``, stored by the request before (a change made the page
stale, not what its pieces show: the usual case); ``cold``, a new page
generation started before each request (every fragment stale, and the
breaking-news banner read again: the worst case, a site-wide change). A
checkout without fragments measures the same way. ``--profile`` prints
this checkout's cProfile (of CPU time) of each page instead.
"""

import argparse
import cProfile
import itertools
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PHOTOS = 12
COMMENTS = 50


def worker(tree, repeat, modes, profile=False):
    """Runs in a fresh process with DATABASE_URL set: prints one JSON line of measurements."""
    os.environ.update(PAGE_CACHE_SECONDS="0", DJANGO_SETTINGS_MODULE="newsdesk.settings")
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test import Client

    urls = prepare()
    client = Client()
    counts = {}

    def count_instance(**kwargs):
        counts["instances"] += 1

    original_url = FileSystemStorage.url

    def counted_url(self, name):
        counts["urls"] += 1
        return original_url(self, name)

    def count_query(execute, sql, *args):
        counts["queries"] += 1
        return execute(sql, *args)

    from pagecache import invalidation

    results = {}
    for (name, url), mode in itertools.product(urls.items(), modes):
        before = invalidation.new_generation if mode == "cold" else lambda: None
        client.get(url)  # warm: the first request fills template and translation caches, and stores fragments
        counts.update(instances=0, urls=0, queries=0)
        post_init.connect(count_instance)
        FileSystemStorage.url = counted_url
        before()
        with connection.execute_wrapper(count_query):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        FileSystemStorage.url = original_url
        post_init.disconnect(count_instance)
        cpu = []
        for _ in range(repeat):
            before()
            start = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - start) * 1000)
        if profile:
            profiler = cProfile.Profile(time.process_time)
            for _ in range(repeat):
                before()
                profiler.runcall(client.get, url)
            print(f"== {name}, fragments {mode}", file=sys.stderr)
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(rf"{tree}/(?!\.venv)", 40)
        results[f"{name}, fragments {mode}"] = {"bytes": len(response.content), "cpu": cpu, **counts}
    print(json.dumps(results))


def prepare():
    """The database filled (once) as the module docstring says; returns {page: address}."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db.models import Count, F

    from articles.models import Article, Section
    from demo import images
    from photos.models import Photo

    call_command("migrate", verbosity=0)
    wanted = int(os.environ["BENCH_STORIES"])
    have = Article.objects.published().count()
    if have < wanted:
        call_command("generate_stories", stories=wanted - have, seed=have + 1, verbosity=0)
    photos = list(Photo.objects.order_by("pk"))
    palette = ((20, 40, 80), (200, 210, 230), (240, 120, 60))
    for n in range(len(photos), PHOTOS):
        jpeg = images.lead_photo(n, palette, list(images.MOTIFS)[n % len(images.MOTIFS)])
        photos.append(Photo.objects.create(image=ContentFile(jpeg, name=f"bench-{n}.jpg"), alt_text=f"Photo {n}"))
    for n, photo in enumerate(photos):
        Article.objects.alias(slot=F("id") % PHOTOS).filter(lead_photo=None, slot=n).update(lead_photo=photo)
    section = Section.objects.annotate(stories=Count("articles")).order_by("-stories").first()
    story = Article.objects.published().filter(section=section).latest_first().first()
    # bench/prepare.py's own, imported once Django runs this worker's checkout: its models are the ones loaded.
    from prepare import ensure_comments

    ensure_comments(story, COMMENTS)
    return {"story, 50 comments": story.get_absolute_url(), "home": "/"}


def run_worker(tree, env, args):
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(tree), "--repeat", str(args.repeat), "--fragments", args.fragments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"worker for {tree} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", type=Path, help="The checkout to compare with (e.g. main's).")
    parser.add_argument("--postgres", help="A PostgreSQL server URL; SQLite files when not given.")
    parser.add_argument("--redis", help="A Redis URL for the cache (with --postgres); the file cache when not given.")
    parser.add_argument("--db-prefix", default="uncached_bench", help="Prefix of the databases' names.")
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="Worker processes per checkout, alternating.")
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page and worker.")
    parser.add_argument("--fragments", default="warm", help="warm, cold or warm,cold (see above).")
    parser.add_argument("--profile", action="store_true", help="Print this checkout's cProfile of each page, and stop.")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.repeat, args.fragments.split(","), args.profile)
    if args.against is None:
        parser.error("--against is required")
    # Kept between runs (the databases and their photo files), one per database engine.
    scratch = Path(tempfile.gettempdir()) / f"{args.db_prefix}-{'postgresql' if args.postgres else 'sqlite'}"
    trees = {"this": HERE, "other": args.against.resolve()}
    envs = {}
    for label, tree in trees.items():
        name = f"{args.db_prefix}_{label}"
        env = {
            **os.environ,
            "BENCH_STORIES": str(args.stories),
            "MEDIA_ROOT": str(scratch / label / "media"),
            "PRIVATE_MEDIA_ROOT": str(scratch / label / "private"),
            "CACHE_DIR": str(scratch / label / "cache"),
            "CACHE_KEY_PREFIX": name,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "STATIC_ROOT": str(scratch / label / "static"),
            "LOG_LEVEL": "ERROR",
        }
        if args.postgres:
            env["DATABASE_URL"] = f"{args.postgres.rstrip('/')}/{name}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, check=False)
        else:
            env["DATABASE_URL"] = f"sqlite:///{scratch / f'{name}.sqlite3'}"
        if args.redis:
            env["REDIS_URL"] = args.redis
        envs[label] = env
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=tree, env=env, check=True)
    if args.profile:
        command = [sys.executable, __file__, "--worker", str(HERE), "--repeat", str(args.repeat), "--profile"]
        command += ["--fragments", args.fragments]
        subprocess.run(command, env=envs["this"], stdout=subprocess.DEVNULL, check=True)
        return None
    runs = {label: [] for label in trees}
    load = os.getloadavg()
    for _ in range(args.rounds):
        for label, tree in trees.items():
            runs[label].append(run_worker(tree, envs[label], args))
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.stories:,} stories, {engine}; load average {load} (start) → {os.getloadavg()} (end)")
    print(f"{args.rounds} rounds x {args.repeat} requests per checkout; this = {HERE}, other = {trees['other']}")
    print("| page | CPU ms (this) | CPU ms (other) | ratio | queries | model instances | storage.url | bytes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in runs["this"][0]:
        mine, theirs = (statistics.median(t for r in runs[label] for t in r[page]["cpu"]) for label in trees)
        a, b = runs["this"][0][page], runs["other"][0][page]
        print(
            f"| {page} | {mine:.2f} | {theirs:.2f} | {mine / theirs:.2f} | {a['queries']} / {b['queries']} "
            f"| {a['instances']} / {b['instances']} | {a['urls']} / {b['urls']} | {a['bytes']:,} / {b['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
