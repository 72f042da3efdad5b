"""Outages played against the real site (tests/servers.py), and what readers got while they lasted.

tests/test_outages.py asserts on the reports; bench/outages.py prints them.
Every answer is recorded with when its request started and ended: "before"
counts those that ended before the outage began, "after" those that started
once it was over, and "during" everything in between (a request queued before
the outage may be answered in it).
"""

import itertools
import re
import threading
import time
from collections import Counter, namedtuple

import psycopg2

UNCACHED = itertools.count()
STYLED_503 = b"We will be back in a moment"
Answer = namedtuple("Answer", "started ended kind status detail")


def uncached_page():
    """A search nobody made before: never in the page cache, so it needs the database."""
    return f"/search/?q=outage{next(UNCACHED)}"


class Clients:
    """``count`` threads calling ``ask(n, i)`` (client n, its i-th request) until stopped.

    ``ask`` returns (kind, status, detail); each answer is kept with its times.
    """

    def __init__(self, count, ask):
        self.count, self.ask = count, ask
        self.answers = []
        self._stop = threading.Event()

    def __enter__(self):
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.count)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _run(self, n):
        for i in itertools.count():
            if self._stop.is_set():
                return
            started = time.monotonic()
            kind, status, detail = self.ask(n, i)
            self.answers.append(Answer(started, time.monotonic(), kind, status, detail))

    def phases(self, down, up):
        """The answers before, during and after an outage from ``down`` to ``up``."""
        before = [a for a in self.answers if a.ended < down]
        after = [a for a in self.answers if a.started >= up]
        during = [a for a in self.answers if a.ended >= down and a.started < up]
        return before, during, after


def tally(answers):
    """{kind: {status: count}}."""
    counts = {}
    for answer in answers:
        counts.setdefault(answer.kind, Counter())[answer.status] += 1
    return counts


def readers(site, paths, count=3):
    """Readers asking for pages in turn; ``paths`` maps a kind of page to its address (or a function making one)."""
    kinds = list(paths)

    def ask(n, i):
        kind = kinds[(n + i) % len(kinds)]
        path = paths[kind]() if callable(paths[kind]) else paths[kind]
        return kind, site.get(path, timeout=15)[0], None

    return Clients(count, ask)


def commenters(site, post_path, count, marker):
    """Readers posting comments; each body is unique, so each answer can be checked against the database."""

    def ask(n, i):
        body = f"{marker} reader {n} comment {i}: the council should publish the figures."
        fields = {"author_name": f"Reader {n}", "email": f"reader{n}@example.org", "body": body, "website": ""}
        status, _, page = site.post(post_path, fields, timeout=15)
        return "comment", status, (body, page)

    return Clients(count, ask)


def accepted(answers):
    """Bodies of the posts the site took: it answers those with a redirect to the story."""
    return {answer.detail[0] for answer in answers if answer.status == 302}


def wait_until(check, seconds=60, step=0.05):
    """Seconds until ``check()`` is true (None if it never was)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return round(time.monotonic() - started, 2)
        time.sleep(step)
    return None


def postgres_restart(site, postgres, urls, down_seconds=3):
    """PostgreSQL stopped (fast: connections cut) under load, then started again; gunicorn is left alone."""
    for path in (urls["home"], urls["story"]):
        assert site.get(path)[0] == 200
    paths = {"cached home": urls["home"], "cached story": urls["story"], "uncached": uncached_page}
    with readers(site, paths) as load:
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
    before, during, after = load.phases(down, up)
    return {
        "down_for": round(up - down, 2),
        "recovery_seconds": recovery,
        "probe_while_down": probe,
        "before": tally(before),
        "while_down": tally(during),
        "after": tally(after),
    }


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
    with readers(site, paths) as load, commenters(site, post_path, clients, marker) as posts:
        time.sleep(1)
        down = time.monotonic()
        redis.stop()
        time.sleep(down_seconds)
        redis.start()
        up = time.monotonic()
        recovery = wait_until(lambda: any(a.status == 302 for a in posts.answers if a.started >= up))
        time.sleep(1)
    pages_before, pages_during, pages_after = load.phases(down, up)
    before, during, after = posts.phases(down, up)
    taken, stored = accepted(posts.answers), stored_bodies(database_url, marker)
    return {
        "down_for": round(up - down, 2),
        "recovery_seconds": recovery,
        "pages_before": tally(pages_before),
        "pages_while_down": tally(pages_during),
        "pages_after": tally(pages_after),
        "posts_before": Counter(a.status for a in before),
        "posts_while_down": Counter(a.status for a in during),
        "posts_after": Counter(a.status for a in after),
        "accepted": len(taken),
        "lost": len(taken - stored),
        "refusals_say_why": all(b"send it again" in a.detail[1] for a in during if a.status == 503),
    }


def percentile(answers, p):
    """Milliseconds within which ``p`` per cent of the answers came."""
    taken = sorted(a.ended - a.started for a in answers)
    return round(taken[min(len(taken) - 1, int(len(taken) * p / 100))] * 1000, 1) if taken else None


def comments_race(site, urls, database_url, clients=20, seconds=30):
    """``clients`` readers posting at once for ``seconds``: every post the site took must be a stored row."""
    marker = f"race-{time.monotonic_ns()}"
    with commenters(site, comment_path(site, urls), clients, marker) as posts:
        time.sleep(seconds)
    taken, stored = accepted(posts.answers), stored_bodies(database_url, marker)
    return {
        "clients": clients,
        "seconds": seconds,
        "posts": len(posts.answers),
        "statuses": Counter(a.status for a in posts.answers),
        "accepted": len(taken),
        "stored": len(stored),
        "lost": len(taken - stored),
        "stored_but_refused": len(stored - taken),
        "posts_per_second": round(len(posts.answers) / seconds, 1),
        "p50_ms": percentile(posts.answers, 50),
        "p99_ms": percentile(posts.answers, 99),
    }
