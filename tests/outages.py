"""Outages played against the real site (tests/servers.py), and what readers got while they lasted.

tests/test_outages.py asserts on the reports; bench/outages.py prints them.
Every answer is recorded with its time, so a report says how many of each
status came before, during and after the outage, and how long recovery took.
"""

import itertools
import re
import threading
import time
from collections import Counter

import psycopg2

UNCACHED = itertools.count()
STYLED_503 = b"We will be back in a moment"


def uncached_page():
    """A search nobody made before: never in the page cache, so it needs the database."""
    return f"/search/?q=outage{next(UNCACHED)}"


class Load:
    """Readers asking for pages in a loop from a few threads; ``paths`` maps a kind of page to its address."""

    def __init__(self, site, paths, threads=3):
        self.site, self.paths, self.threads = site, paths, threads
        self.answers = []  # (monotonic time, kind, status)
        self._stop = threading.Event()

    def __enter__(self):
        self.workers = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self.workers:
            worker.join(timeout=30)

    def _run(self, n):
        kinds = itertools.cycle(list(self.paths)[n % len(self.paths) :] + list(self.paths)[: n % len(self.paths)])
        while not self._stop.is_set():
            kind = next(kinds)
            path = self.paths[kind]() if callable(self.paths[kind]) else self.paths[kind]
            status = self.site.get(path, timeout=15)[0]
            self.answers.append((time.monotonic(), kind, status))

    def tally(self, start, end):
        """{kind: Counter of statuses} of the answers that came between ``start`` and ``end``."""
        counts = {}
        for moment, kind, status in self.answers:
            if start <= moment < end:
                counts.setdefault(kind, Counter())[status] += 1
        return counts


def wait_until(check, seconds=60, step=0.05):
    """Seconds until ``check()`` is true (None if it never was)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    return None


def postgres_restart(site, postgres, urls, down_seconds=3):
    """PostgreSQL stopped (fast: connections cut) under load, then started again; gunicorn is left alone."""
    for path in (urls["home"], urls["story"]):
        assert site.get(path)[0] == 200
    paths = {"cached home": urls["home"], "cached story": urls["story"], "uncached": uncached_page}
    with Load(site, paths) as load:
        time.sleep(1)
        down = time.monotonic()
        postgres.stop()
        time.sleep(0.5)
        status, headers, body = site.get(uncached_page())
        probe = {"status": status, "retry_after": headers.get("Retry-After"), "styled": STYLED_503 in body}
        time.sleep(down_seconds)
        postgres.start()
        up = time.monotonic()
        recovery = wait_until(lambda: site.get(uncached_page())[0] == 200)
        time.sleep(1)
    return {
        "down_for": round(up - down, 2),
        "recovery_seconds": None if recovery is None else round(recovery, 2),
        "probe_while_down": probe,
        "before": load.tally(0, down),
        "while_down": load.tally(down, up),
        "after": load.tally(up, float("inf")),
    }


class Commenters:
    """``clients`` readers posting comments in a loop; each body is unique, so each answer can be checked."""

    def __init__(self, site, post_path, clients, marker):
        self.site, self.post_path, self.clients, self.marker = site, post_path, clients, marker
        self.answers = []  # (monotonic time, body, status, response body, seconds taken)
        self._stop = threading.Event()

    def __enter__(self):
        self.workers = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.clients)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self.workers:
            worker.join(timeout=30)

    def _run(self, n):
        for i in itertools.count():
            if self._stop.is_set():
                return
            body = f"{self.marker} reader {n} comment {i}: the council should publish the figures."
            fields = {"author_name": f"Reader {n}", "email": f"reader{n}@example.org", "body": body, "website": ""}
            started = time.monotonic()
            status, _, page = self.site.post(self.post_path, fields, timeout=15)
            self.answers.append((started, body, status, page, time.monotonic() - started))

    def accepted(self, start=0, end=float("inf")):
        """Bodies of the posts the site took: it answers those with a redirect to the story."""
        return {body for moment, body, status, *_ in self.answers if status == 302 and start <= moment < end}

    def statuses(self, start=0, end=float("inf")):
        return Counter(status for moment, _, status, *_ in self.answers if start <= moment < end)

    def percentile(self, p):
        """Milliseconds within which ``p`` per cent of the posts were answered."""
        taken = sorted(seconds for *_, seconds in self.answers)
        return round(taken[min(len(taken) - 1, int(len(taken) * p / 100))] * 1000, 1) if taken else None


def stored_bodies(database_url, marker):
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT body FROM comments_comment WHERE body LIKE %s", [f"{marker}%"])
        return {row[0] for row in cursor.fetchall()}


def comment_path(site, urls):
    """The address of a comment form, as a reader's browser finds it: on the first story that takes comments."""
    home = site.get(urls["home"])[2].decode()
    for story in [urls["story"], *re.findall(r'href="(/[\w-]+/\d{4}/\d\d/\d\d/[\w-]+/)"', home)]:
        found = re.search(r'action="(/comments/post/\d+/)"', site.get(story)[2].decode())
        if found:
            return found.group(1)
    raise AssertionError("no story on the home page takes comments")


def redis_stop(site, redis, urls, database_url, down_seconds=3, clients=4):
    """Redis (the cache and the rate limiter's counters) stopped, then started again."""
    post_path = comment_path(site, urls)
    marker = f"outage-{time.monotonic_ns()}"
    paths = {"home": urls["home"], "story": urls["story"], "uncached": uncached_page}
    with Load(site, paths) as load, Commenters(site, post_path, clients, marker) as commenters:
        time.sleep(1)
        down = time.monotonic()
        redis.stop()
        time.sleep(down_seconds)
        refusals = [page for moment, _, status, page, _ in commenters.answers if status == 503 and moment >= down]
        redis.start()
        up = time.monotonic()
        recovery = wait_until(lambda: bool(commenters.accepted(start=up)))
        time.sleep(1)
    accepted, stored = commenters.accepted(), stored_bodies(database_url, marker)
    return {
        "down_for": round(up - down, 2),
        "recovery_seconds": None if recovery is None else round(recovery, 2),
        "pages_while_down": load.tally(down, up),
        "pages_after": load.tally(up, float("inf")),
        "posts_while_down": commenters.statuses(down, up),
        "posts_before_and_after": commenters.statuses(0, down) + commenters.statuses(up, float("inf")),
        "accepted": len(accepted),
        "lost": len(accepted - stored),
        "refusals_say_why": all(b"send it again" in page for page in refusals),
    }


def comments_race(site, urls, database_url, clients=20, seconds=30):
    """``clients`` readers posting at once for ``seconds``: every post the site took must be a stored row."""
    post_path = comment_path(site, urls)
    marker = f"race-{time.monotonic_ns()}"
    with Commenters(site, post_path, clients, marker) as commenters:
        time.sleep(seconds)
    accepted, stored = commenters.accepted(), stored_bodies(database_url, marker)
    return {
        "clients": clients,
        "seconds": seconds,
        "posts": len(commenters.answers),
        "statuses": commenters.statuses(),
        "accepted": len(accepted),
        "stored": len(stored),
        "lost": len(accepted - stored),
        "stored_but_refused": len(stored - accepted),
        "posts_per_second": round(len(commenters.answers) / seconds, 1),
        "p50_ms": commenters.percentile(50),
        "p99_ms": commenters.percentile(99),
    }
