"""Serving and storing whole public pages, and the Cache-Control every page sends.

Views marked with ``@public_page`` are stored in the shared cache the first
time an anonymous reader asks for them and served from there (without
sessions, views or SQL) until what they show changes (their tags, see
invalidation.py);
a stored page never outlives a registered bound such as the next scheduled
story's go-live time (see pages.py). Pages are stored gzipped (a public page
holds no secret, so compressing it gives BREACH nothing to read) and sent so
to every browser, which all accept it: a fifth of the bytes to fetch from
the cache and to send.

Readers cannot make the cache work for them:

- A page is stored once per value of the query parameters its view reads;
  the view never sees the others (``utm_source``, ``fbclid``, random ones),
  so they neither add entries nor cause a render: the reader is served the
  canonical page at the address they asked for (no redirect, so analytics
  scripts still see their parameters).
- When a page goes stale (expired, or a change made it stale), one request
  rebuilds it, holding a short lock taken with ``cache.add``; the others
  are served the previous copy meanwhile, or, when there is none, wait for
  the rebuilt page. So many readers arriving at once cost one render. The
  previous copy is never served after an urgent change to what it shows (a
  withdrawal, see invalidation.py), a site-wide one, or past a registered
  bound such as a go-live time: readers wait for the rebuilt page then.
- When the cache fails (Redis down or slower than its socket timeout),
  pages are rendered without it for a second, then the cache is tried again.

Every public page says how it was served in ``X-Page-Cache`` (as Drupal's
``X-Drupal-Cache`` does): ``hit`` (stored and fresh, or rebuilt by another
request while this one waited), ``stale`` (the previous copy, while another
request rebuilds it) or ``miss`` (rendered by this request). It costs
nothing and lets the access log, an edge or a benchmark count the hit rate.

A request or response that is personal is never stored nor served from the
cache: a session cookie (a logged-in reader or staff, or a reader whose own
comment awaits moderation), a pending message cookie, or a response that
sets a cookie. That includes the CSRF cookie: a page whose forms carry a
token is personal. Forms on shared pages (the comments under a story) carry
none and fetch it with JavaScript; see comments.views.token.
"""

import contextlib
import functools
import gzip
import hashlib
import logging
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.text import compress_string

from newsdesk.encodings import accepts

from . import edge
from .invalidation import CLOCK_KEY, GENERATION_KEY, UNTAGGED, changed_since, reading, urgent_key, versions_of
from .pages import is_personal, lifetime, public_params, tags_of

# The longest one request may take to rebuild a stale page before another may try (if it crashed).
REBUILD_SECONDS = 10
# How often a request with no copy to serve looks whether the page it waits for is there.
WAIT_STEP = 0.02
# After the cache failed to answer, pages are rendered without it this long before it is tried again.
RETRY_SECONDS = 1
# How many pages a process remembers having found fresh (see PageCacheMiddleware.fresh).
KNOWN_PAGES = 20000
# How many stored pages a process keeps a copy of, ready to send (see PageCacheMiddleware.copies).
COPIED_PAGES = 1000
# How long an edge may serve a stored page while the app is down (Cache-Control stale-if-error).
STALE_IF_ERROR = 86400

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The shared cache did not answer in time: the page is rendered without it."""


def canonicalize(request, params):
    """Hide from the view every query parameter it does not read: what it renders is the canonical page.

    A parameter given more than once keeps its last value, the one a view's ``request.GET.get`` reads;
    one left empty counts as absent.
    """
    query = urlencode(sorted((name, request.GET[name]) for name in params & request.GET.keys() if request.GET[name]))
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def page_key(address):
    """The cache key of the page at this absolute address (canonical: see ``canonicalize``).

    The language is part of it: after LANGUAGE_CODE changes, no page in the old one is served.
    """
    return f"pages:{settings.LANGUAGE_CODE}:" + hashlib.md5(address.encode()).hexdigest()


class PageCacheMiddleware:
    """Serves and stores ``@public_page`` responses; sets Cache-Control on all others.

    Place it after WhiteNoise and before the session middleware, so that a
    cached page costs a URL lookup and reading the generation and the clock
    (no round trip on Redis while neither changes), nothing else.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.down_until = 0.0
        # {page key: (clock, stored page's time)} of the pages this process found fresh by their tags'
        # versions: while the clock stays, no tag has changed, so they need not be read again.
        self.verified = {}
        # {page key: StoredPage} of the pages this process served last: a copy is judged fresh exactly as
        # the shared entry is (its generation, its time, its tags' versions, against readings taken for this
        # request), so a hit reads two small numbers from the cache instead of the whole page.
        self.copies = {}

    def __call__(self, request):
        params = None
        if request.method in ("GET", "HEAD") and settings.PAGE_CACHE_SECONDS > 0 and not is_personal(request):
            params = public_params(request.path_info)
        if params is None:
            return self.render(request)
        canonicalize(request, params)
        try:
            return self.serve(request, page_key(request.build_absolute_uri()))
        except CacheUnavailable:
            return self.render(request)

    def ask(self, call, *args):
        """``call(*args)`` on the cache; CacheUnavailable if it fails, or failed less than RETRY_SECONDS ago."""
        if time.monotonic() < self.down_until:
            raise CacheUnavailable
        try:
            return call(*args)
        except Exception as error:
            self.down_until = time.monotonic() + RETRY_SECONDS
            logger.warning("Page cache unreachable, rendering pages without it for %s s: %r", RETRY_SECONDS, error)
            raise CacheUnavailable from error

    def serve(self, request, key):
        copy = self.copies.get(key)
        found = {**self.readings()} if copy else self.ask(cache.get_many, [GENERATION_KEY, CLOCK_KEY, key])
        # Read before rendering: a change committed while the page renders makes what it stores stale. The
        # fragments the page is made of are judged by the same reading (pagecache.fragments).
        request.page_reading = self.ask(reading, found)
        generation, clock = request.page_reading.generation, request.page_reading.clock
        if copy is not None:
            if self.fresh(key, copy.entry, generation, clock):
                return copy.response(request)
            self.copies.pop(key, None)
            found[key] = self.ask(cache.get, key)
        entry = found.get(key)
        if self.fresh(key, entry, generation, clock):
            return self.keep_copy(key, entry).response(request)
        lock = key + ":rebuild"
        if not self.ask(cache.add, lock, 1, REBUILD_SECONDS):
            if entry is not None and self.may_serve_stale(entry, generation):
                return StoredPage(entry).response(request, stale=True)
            entry = self.wait_for(key, lock, generation, clock)
            if entry is not None:
                return self.keep_copy(key, entry).response(request)
        try:
            # Another request may have stored the page and let go of the lock since the lookup above.
            entry = self.ask(cache.get, key)
            if self.fresh(key, entry, generation, clock):
                return self.keep_copy(key, entry).response(request)
            # Like the clock, before rendering: a go-live during the render bounds what it stores.
            started, (keep, bound) = time.time(), lifetime(request)
            stale = keep + settings.PAGE_STALE_SECONDS
            until = (started + keep, started + (stale if bound is None else min(stale, bound)))
            response = self.render(
                request, lambda response: self.store(request, key, generation, clock, response, *until)
            )
            response["X-Page-Cache"] = "miss"
        finally:
            with contextlib.suppress(CacheUnavailable):  # Else it expires by itself.
                self.ask(cache.delete, lock)
        return response

    def readings(self):
        """{key: value} of the generation and the clock: without a round trip while the cache can tell that
        neither has changed since they were last read (newsdesk.redis_cache.KeyWatch)."""
        read = functools.partial(self.ask, cache.get_many, [GENERATION_KEY, CLOCK_KEY])
        watch = getattr(cache, "watch", None)
        if watch is None:
            return read()
        if time.monotonic() < self.down_until:
            raise CacheUnavailable
        return watch(GENERATION_KEY, CLOCK_KEY).get(read)

    def fresh(self, key, entry, generation, clock):
        """A stored page of the current generation whose time has not run out and whose tags have not changed.

        Every change advances the clock twice: before it gives its tags new
        versions, and after. So while the clock reads what it read with the
        page's versions when it was stored, or when this process last found its tags
        unchanged, none of them has changed since, and the page is fresh
        without reading its tags' versions (one cache read per hit).
        """
        if entry is None or entry.get("generation") != generation or entry.get("fresh_until", 0) <= time.time():
            return False
        if "versions" not in entry:  # stored by an older release: rebuilt, never an error
            return False
        if clock == entry.get("clock") or self.verified.get(key) == (clock, entry["fresh_until"]):
            return True
        versions = self.ask(cache.get_many, list(entry["versions"]))
        if any(versions.get(name) != version for name, version in entry["versions"].items()):
            return False
        if len(self.verified) >= KNOWN_PAGES:
            self.verified.clear()
        self.verified[key] = (clock, entry["fresh_until"])
        return True

    def may_serve_stale(self, entry, generation):
        """Whether ``entry``, no longer fresh, may be served while another request rebuilds it: of the current
        generation, within its stale time, and with no urgent change to its tags since it was rendered."""
        if entry.get("generation") != generation or entry.get("stale_until", 0) <= time.time():
            return False
        rendered_from = entry.get("rendered_from")
        if rendered_from is None:  # stored by an older release
            return False
        urgent = self.ask(cache.get_many, [urgent_key(name) for name in entry["versions"]])
        return all(version <= rendered_from for version in urgent.values())

    def keep_copy(self, key, entry):
        """A ready-to-send copy of the fresh ``entry``, kept for the next requests for ``key``."""
        if len(self.copies) >= COPIED_PAGES:
            self.copies.clear()
        page = self.copies[key] = StoredPage(entry)
        return page

    def wait_for(self, key, lock, generation, clock):
        """The page another request is rebuilding, once stored; None if it stored none or the cache failed."""
        deadline = time.monotonic() + REBUILD_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            try:
                found = self.ask(cache.get_many, [key, lock])
                if self.fresh(key, found.get(key), generation, clock):
                    return found[key]
            except CacheUnavailable:
                return None
            if lock not in found:
                return None
        return None

    def render(self, request, store=None):
        """The view's response; ``store(response)`` keeps it if it is a complete public page (and says whether
        it did)."""
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if store is None or not self.storable(request, response) or not store(response):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def storable(request, response):
        """A complete page that sets no cookie."""
        complete = response.status_code == 200 and not response.streaming
        return request.method == "GET" and complete and not response.cookies

    def versions(self, tags, clock):
        """{version key: version} of ``tags`` now, the clock's reading now, and whether any of them changed
        since ``clock`` was read (before rendering).

        Only the page's own tags count: on a busy site some change commits
        during most renders, and a page that had to be rendered again after
        every change anywhere would never be stored. A change under way (the
        clock advanced, its versions not written yet) is not seen here, but
        the page is kept with the clock's reading of now: that change's
        second advance makes the next request read the versions and find
        the page stale.

        A tag without a version yet gets ``clock`` as its first (``versions_of``).
        """
        found, now = self.ask(versions_of, tags, clock)
        return found, now, now is None or changed_since(found, clock)

    def store(self, request, key, generation, clock, response, fresh_until, stale_until):
        """Send the page as public, tagged, and keep it: fresh until ``fresh_until``, then as stale until
        ``stale_until`` (times worked out before the render); False if its time ran out during the render. A go-live
        scheduled during the render changes the tags of the pages that will show the story, so those are kept
        as stale only (below).

        A page during whose rendering one of its tags changed is sent for
        immediate revalidation and kept as stale only, so that neither this
        cache nor an edge keeps what may be the page from before the change.
        The edge may keep serving a page past ``s-maxage`` while it fetches
        it again, but never past ``fresh_until`` (the next scheduled go-live,
        for one).
        """
        timeout = fresh_until - time.time()
        if timeout <= 0:
            return False
        rendered_from = clock
        tags = tags_of(request) or {UNTAGGED}
        for name, value in edge.headers(tags).items():
            response[name] = value
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
        try:
            versions, clock, changed = self.versions(tags, clock)
        except CacheUnavailable:
            versions, changed = {}, True
        if changed:
            timeout, fresh_until = 0, time.time()
        # Whole seconds, rounded down: never past the times above.
        s_maxage = int(min(settings.CDN_MAX_AGE, timeout))
        patch_cache_control(
            response,
            public=True,
            max_age=int(min(settings.PAGE_MAX_AGE, timeout)),
            s_maxage=s_maxage,
            stale_while_revalidate=int(min(settings.PAGE_STALE_SECONDS, timeout - s_maxage)),
            stale_if_error=STALE_IF_ERROR,
        )
        response["Last-Modified"] = http_date()
        set_response_etag(response)
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        gzipped = compress_string(response.content)
        if versions:
            entry = {
                "generation": generation,
                "clock": clock,
                "rendered_from": rendered_from,
                "versions": versions,
                "fresh_until": fresh_until,
                "stale_until": stale_until,
                "headers": headers,
                "gzipped": gzipped,
            }
            with contextlib.suppress(CacheUnavailable):  # The reader still gets the page.
                self.ask(cache.set, key, entry, math.ceil(max(stale_until, fresh_until) - time.time()))
            self.keep_copy(key, entry)
        # Sent as a hit would be: an edge keeps the first copy it fetches, gzipped or not.
        if accepts(request.headers.get("Accept-Encoding"), "gzip"):
            response.content = gzipped
            for name, value in gzipped_headers(headers, len(gzipped)).items():
                response[name] = value
        return True


def gzipped_headers(headers, length):
    """A page's headers, ``[(name, value)]``, for its gzipped body of ``length`` bytes."""
    headers = dict(headers)
    if "ETag" in headers:
        # Another encoding of the same page: equal, not byte-identical, as GZipMiddleware says too.
        headers["ETag"] = "W/" + headers["ETag"]
    return {**headers, "Content-Encoding": "gzip", "Content-Length": str(length)}


class StoredPage:
    """A stored page as a response, gzipped as stored for the browsers that accept it (all of them), else as
    it was.

    The headers of the gzipped form are worked out once per copy (see PageCacheMiddleware.copies), not per hit.
    """

    def __init__(self, entry):
        self.entry = entry
        self.gzipped = gzipped_headers(entry["headers"], len(entry["gzipped"]))

    def response(self, request, stale=False):
        """The page for ``request``. A stale copy, served while another request rebuilds the page, is sent for
        immediate revalidation, so that no browser or CDN keeps it."""
        if accepts(request.headers.get("Accept-Encoding"), "gzip"):
            response = HttpResponse(self.entry["gzipped"], headers=self.gzipped)
        else:  # Rare (every browser accepts gzip): unzipped for each, not kept at several times the size.
            content = gzip.decompress(self.entry["gzipped"])
            headers = {**dict(self.entry["headers"]), "Content-Length": str(len(content))}
            response = HttpResponse(content, headers=headers)
        response["X-Page-Cache"] = "stale" if stale else "hit"
        if stale:
            response["Cache-Control"] = "public, max-age=0, s-maxage=0"
        return response
