#!/usr/bin/env python3
"""varnishd parameters side by side: the cached story through Varnish with each set, against nginx serving it
as a static file, in turns within one run (bench/run's servers and wrk; see bench/README.md).

Usage (from the repository root, after bench/run has prepared the database):

    .venv/bin/python bench/varnish_params.py --rounds 3 --duration 5 \\
        --variant "linger 200ms=-p timeout_linger=0.2" --variant "one pool=-p thread_pools=1"

Every variant starts varnishd with deploy/varnish/varnishd.params and then its own arguments (a later
``-p`` wins); "as shipped" is always measured. Reported: requests/s and the serving processes' CPU per
request (medians of the turns), and both as ratios to nginx's in the same turns.
"""

import argparse
import gzip
import importlib.machinery
import importlib.util
import json
import os
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_loader(
    "bench_run", importlib.machinery.SourceFileLoader("bench_run", str(BENCH / "run"))
)
run = importlib.util.module_from_spec(_spec)
sys.path.insert(0, str(BENCH))
_spec.loader.exec_module(run)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000, help="Stories in the prepared database.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds of load per turn.")
    parser.add_argument("--rounds", type=int, default=3, help="Turns per variant (medians).")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--varnish-port", type=int, default=8097)
    parser.add_argument("--nginx-port", type=int, default=8096)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db-prefix", default="newsdesk_bench")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--variant", action="append", default=[], help='"name=varnishd arguments"')
    parser.add_argument("--perf", action="store_true", help="perf record varnishd in the shipped set's last turn.")
    args = parser.parse_args()
    args.no_edge = False
    return args


def main():
    args = parse_args()
    variants = [("as shipped", [])] + [
        (name, shlex.split(extra)) for name, _, extra in (variant.partition("=") for variant in args.variant)
    ]
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-varnish-params-"))
    workdir.chmod(0o755)  # nginx's workers (user nobody) read the static files from here
    static_root = workdir / "static"
    prefix = f"bench-{os.getpid()}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{run.HOST},localhost",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": prefix,
        "STATIC_ROOT": str(static_root),
        "GUNICORN_BIND": f"{run.HOST}:{args.port}",
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
        "BENCH_PING": "1",
        "LOG_LEVEL": "ERROR",
        "DATABASE_URL": f"{args.postgres}/{args.db_prefix}_{args.size}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=run.ROOT, env=env, check=True
    )
    prepared = subprocess.run(
        [sys.executable, "bench/prepare.py", str(args.size)], cwd=run.ROOT, env=env, check=True, capture_output=True
    )
    story = json.loads(prepared.stdout.strip().splitlines()[-1])["urls"]["story"]
    samples = {name: [] for name, _ in variants}
    nginx_samples = []
    with open(workdir / "servers.log", "w") as log:
        try:
            with run.Server(env, args.port, log) as server:
                html = server.fetch(story)
                (static_root / "bench").mkdir(parents=True, exist_ok=True)
                (static_root / "bench/story.html").write_bytes(html)
                (static_root / "bench/story.html.gz").write_bytes(gzip.compress(html))
                varnish, nginx = run.edges(args, args.port, static_root, workdir, log)
                static = f"http://{run.HOST}:{args.nginx_port}/static/bench/story.html"
                through = f"http://{run.HOST}:{args.varnish_port}{story}"
                with nginx:
                    for turn in range(args.rounds):
                        for name, extra in variants:
                            nginx_samples.append(run.wrk(static, args))
                            daemon = run.Daemon([*varnish.command, *extra], args.varnish_port, log)
                            with daemon:
                                for _ in range(2):
                                    urllib.request.urlopen(through, timeout=30).read()
                                profile = args.perf and turn == args.rounds - 1 and not extra
                                recorder = perf(daemon.process.pid, workdir) if profile else None
                                result = run.wrk(through, args)
                                if recorder:
                                    recorder.wait()
                            samples[name].append(result)
                            print(
                                f"  {name:<28} {result['rps']:>9,.0f} req/s {result['cpu_us']:6.1f} µs CPU  "
                                f"(nginx {nginx_samples[-1]['rps']:,.0f} req/s {nginx_samples[-1]['cpu_us']:.1f} µs)",
                                file=sys.stderr,
                            )
        finally:
            run.forget_cache(args.redis, prefix)
    nginx_rps = statistics.median(sample["rps"] for sample in nginx_samples)
    nginx_cpu = statistics.median(sample["cpu_us"] for sample in nginx_samples)
    print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} turns each; load {load()}")
    print(f"{'':<28} {'req/s':>9} {'× nginx':>8} {'CPU µs':>7} {'nginx/this':>10}  errors")
    print(f"{'nginx, static file':<28} {nginx_rps:>9,.0f} {1:>8.2f} {nginx_cpu:>7.1f} {1:>10.2f}")
    for name, results in samples.items():
        rps = statistics.median(sample["rps"] for sample in results)
        cpu = statistics.median(sample["cpu_us"] for sample in results)
        errors = sum(sample["errors"] for sample in results)
        print(f"{name:<28} {rps:>9,.0f} {rps / nginx_rps:>8.2f} {cpu:>7.1f} {nginx_cpu / cpu:>10.2f}  {errors}")
    if args.perf:
        print(f"perf profile of varnishd (as shipped, last turn): perf report -i {workdir / 'perf.data'}")


def perf(pid, workdir):
    """perf record of varnishd's worker process (the child of the manager ``pid``), with call graphs."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    command = ["perf", "record", "-g", "-p", ",".join(children), "-o", str(workdir / "perf.data"), "--", "sleep", "4"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def load():
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
