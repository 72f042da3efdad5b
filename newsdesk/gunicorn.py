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
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 500
