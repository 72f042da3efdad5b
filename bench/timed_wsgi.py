"""The app as bench/run serves it: a request carrying X-Bench-Id (bench/newsroom.lua's readers) gets it back,
with the milliseconds the app took to start its response (X-Bench-App-Ms), so that the readers' latency can
be told apart into the app's time and the wait before it (for a free worker, for the CPU)."""

import time

from newsdesk.wsgi import application as app


def application(environ, start_response):
    bench_id = environ.get("HTTP_X_BENCH_ID")
    if bench_id is None:
        return app(environ, start_response)
    began = time.perf_counter()

    def timed(status, headers, exc_info=None):
        took = (time.perf_counter() - began) * 1000
        return start_response(status, [*headers, ("X-Bench-Id", bench_id), ("X-Bench-App-Ms", f"{took:.3f}")], exc_info)

    return app(environ, timed)
