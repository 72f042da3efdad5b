"""Gunicorn settings; every value can be overridden from the environment.

Every process shares the cache (the file cache of the embedded default, or
Redis), so a change made through one worker shows on the others' next request.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# An empty GUNICORN_ACCESSLOG turns the access log off (e.g. for benchmarks).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
# Workers are replaced after about this many requests (guarding against slow leaks). The master loads
# the app once and forks new workers ready to serve, in milliseconds: a worker importing Django itself
# takes seconds, and under even load all of them come due within seconds of each other, so requests
# queued meanwhile timed out (bench/load.py: 130 of 31,692 at 64 connections). The jitter spreads them.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 4

# The background-job worker (jobs/embedded.py) runs beside gunicorn, started and stopped with it;
# TASKS_EMBEDDED_WORKER=0 when workers run on their own (e.g. on other machines).
if os.environ.get("TASKS_EMBEDDED_WORKER", "1").strip().lower() in {"1", "true", "yes", "on"}:
    from jobs.embedded import EmbeddedWorker

    embedded_worker = EmbeddedWorker()

    def when_ready(server):
        embedded_worker.start()

    def on_exit(server):
        embedded_worker.stop()
