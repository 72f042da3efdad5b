"""Whole-page caching for anonymous readers, and the Cache-Control every page sends.

Views marked with ``@public_page`` are stored in the shared cache the first
time an anonymous reader asks for them and served from there (without
sessions, views or SQL) until the site changes. Every stored page is
tagged with the site's current *generation*; ``invalidate_pages()`` starts a
new generation, which makes every stored page stale at once. It runs when a
story or anything shown with it is saved or deleted (see signals.py), and
other apps call it too (comment moderation). A stored page never outlives the
next scheduled story's go-live time. Pages are stored gzipped (a public page
holds no secret, so compressing it gives BREACH nothing to read) and sent so
to every browser, which all accept it: a fifth of the bytes to fetch from
Redis and to send.

A request or response that is personal is never stored nor served from the
cache: a session cookie (a logged-in reader or staff, or a reader whose own
comment awaits moderation), a pending message cookie, or a response that
sets a cookie. That includes the CSRF cookie: a page whose forms carry a
token is personal. Forms on shared pages (the comments under a story) carry
none and fetch it with JavaScript; see comments.views.token.
"""

import functools
import gzip
import hashlib
import math
import re
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.text import compress_string

GENERATION_KEY = "pages:generation"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def public_page(view):
    """Mark a view whose anonymous responses are the same for every reader (it may be a Feed or Django's own)."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    page.public_page = True
    return page


def invalidate_pages():
    """Make every stored page stale, on every app server."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def seconds_until_next_go_live():
    """Seconds until the next scheduled story goes live, or None when none is waiting."""
    from .models import Article

    upcoming = Article.objects.upcoming().aggregate(first=Min("publish_at"))["first"]
    if upcoming is None:
        return None
    return math.ceil((upcoming - timezone.now()).total_seconds())


def is_personal(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def is_public(path):
    """Whether a ``@public_page`` view serves ``path``: other addresses (the read beacon) skip the cache."""
    try:
        return getattr(resolve(path).func, "public_page", False)
    except Resolver404:
        return False


class PageCacheMiddleware:
    """Serves and stores ``@public_page`` responses; sets Cache-Control on all others.

    Place it after WhiteNoise and before the session middleware, so that a
    cached page costs a URL lookup and one cache read of two keys, nothing else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cacheable = (
            request.method in ("GET", "HEAD")
            and settings.PAGE_CACHE_SECONDS > 0
            and not is_personal(request)
            and is_public(request.path_info)
        )
        if cacheable:
            key = "pages:" + hashlib.md5(request.build_absolute_uri().encode()).hexdigest()
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            entry = found.get(key)
            if entry and generation is not None and entry["generation"] == generation:
                return self.from_entry(request, entry)
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if cacheable and self.storable(request, response):
            self.store(key, generation, response)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def storable(request, response):
        """A complete page that sets no cookie."""
        complete = response.status_code == 200 and not response.streaming
        return request.method == "GET" and complete and not response.cookies

    def store(self, key, generation, response):
        timeout = settings.PAGE_CACHE_SECONDS
        go_live = seconds_until_next_go_live()
        if go_live is not None:
            timeout = min(timeout, go_live)
        if timeout <= 0:
            patch_cache_control(response, private=True, no_cache=True)
            return
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
        patch_cache_control(
            response,
            public=True,
            max_age=min(settings.PAGE_MAX_AGE, timeout),
            s_maxage=min(settings.CDN_MAX_AGE, timeout),
        )
        response["Last-Modified"] = http_date()
        set_response_etag(response)
        if generation is None:
            invalidate_pages()
            generation = cache.get(GENERATION_KEY)
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        entry = {"generation": generation, "headers": headers, "gzipped": compress_string(response.content)}
        cache.set(key, entry, timeout)

    @staticmethod
    def from_entry(request, entry):
        """The stored page, gzipped as stored for the browsers that accept it (all of them), else as it was."""
        response = HttpResponse()
        for name, value in entry["headers"]:
            response[name] = value
        if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response.content = entry["gzipped"]
            response["Content-Encoding"] = "gzip"
            # Another encoding of the same page: equal, not byte-identical, as GZipMiddleware says too.
            response["ETag"] = "W/" + response["ETag"]
        else:
            response.content = gzip.decompress(entry["gzipped"])
        response["Content-Length"] = str(len(response.content))
        return response
