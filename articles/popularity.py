"""Counting reads for "Most read" without a database write per view and without tracking readers.

Each read increments a cache counter for the story and the current hour
(``cache.incr`` is atomic on Redis, shared by every app server). The
``flush_most_read`` command, run every few minutes, copies the counters of
recent hours into ``ReadCount`` rows; the home page reads those rows.

A reader counts once per story per hour: the first read adds a key named by
a keyed hash of their network (the address; an IPv6 /64) and the hour
(``cache.add``, atomic), and only that read increments the counter. The key
reveals nobody without the site's secret, changes every hour, so hours cannot
be linked, and expires with the hour. Only live stories are counted, so made-up
ids create no counters. No cookie, address or agent is stored.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from pagecache.invalidation import invalidate

from .models import Article, ReadCount

HOUR = 3600
# Long enough for a flush that runs late to still find the counters.
COUNTER_TIMEOUT = 2 * 24 * HOUR
# How long the beacon trusts that a story it found live still is.
LIVE_SECONDS = 300


def hour_number(moment):
    return int(moment.timestamp()) // HOUR


def counter_key(pk, hour):
    return f"reads:{hour}:{pk}"


def reader_key(pk, hour, address):
    digest = hmac.new(settings.READS_KEY.encode(), f"{hour}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"reads:seen:{hour}:{pk}:{digest[:32]}"


def is_live(pk):
    """Whether story ``pk`` is live, asking the database at most once per story per LIVE_SECONDS.

    Only a yes is remembered: made-up ids store nothing. A story withdrawn
    meanwhile may count a few more reads, which "Most read" ignores (it
    lists live stories only).
    """
    key = f"reads:live:{pk}"
    if cache.get(key):
        return True
    live = Article.objects.published().filter(pk=pk).exists()
    if live:
        cache.set(key, True, timeout=LIVE_SECONDS)
    return live


def record_read(pk, address, now=None):
    """Count a read of a live story by a reader at ``address``, unless they were counted this hour.

    True when the read was counted.
    """
    hour = hour_number(now or timezone.now())
    if not is_live(pk):
        return False
    if not cache.add(reader_key(pk, hour, address), 1, timeout=HOUR):
        return False
    key = counter_key(pk, hour)
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, timeout=COUNTER_TIMEOUT):
            cache.incr(key)
    return True


def flush_reads(hours=3, now=None):
    """Store the counters of the last ``hours`` hours; returns how many story-hours were written.

    Counters are cumulative per hour, so writing one again is harmless; a
    counter lost from the cache never lowers a count already stored.
    Only stories published in the last MOST_READ_CANDIDATE_DAYS are looked
    up: the cache API cannot list keys, and older stories do not make the list.
    """
    now = now or timezone.now()
    current = hour_number(now)
    numbers = range(current - hours + 1, current + 1)
    since = now - datetime.timedelta(days=settings.MOST_READ_CANDIDATE_DAYS)
    candidates = Article.objects.published().filter(publish_at__gte=since).values_list("pk", flat=True)
    keys = {counter_key(pk, number): (pk, number) for pk in candidates for number in numbers}
    counts = cache.get_many(keys)
    if not counts:
        return 0
    starts = {number: datetime.datetime.fromtimestamp(number * HOUR, tz=datetime.UTC) for number in numbers}
    stored = {
        (row.article_id, row.hour): row.reads
        for row in ReadCount.objects.filter(hour__in=starts.values(), article_id__in={keys[key][0] for key in counts})
    }
    rows = []
    for key, reads in counts.items():
        pk, number = keys[key]
        hour = starts[number]
        rows.append(ReadCount(article_id=pk, hour=hour, reads=max(reads, stored.get((pk, hour), 0))))
    ReadCount.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["article", "hour"], update_fields=["reads"]
    )
    ReadCount.objects.filter(hour__lt=since).delete()
    # "Most read" on stored pages is now out of date.
    invalidate(["most-read"])
    return len(rows)
