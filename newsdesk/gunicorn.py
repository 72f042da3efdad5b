"""Gunicorn settings; every value can be overridden from the environment."""

import multiprocessing
import os

# Without Redis the cache lives in each process's memory, so page-cache
# invalidations and comment rate limits only hold within one process: serve
# with one process and several threads until REDIS_URL is set.
shared_cache = bool(os.environ.get("REDIS_URL"))

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1 if shared_cache else 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1 if shared_cache else 8))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# An empty GUNICORN_ACCESSLOG turns the access log off (e.g. for benchmarks).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 500
