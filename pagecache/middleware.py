"""Serving and storing whole public pages, and the Cache-Control every page sends.

Views marked with ``@public_page`` are stored in the shared cache the first
time an anonymous reader asks for them and served from there (without
sessions, views or SQL) until what they show changes (see invalidation.py);
a stored page never outlives a registered bound such as the next scheduled
story's go-live time (see pages.py). Pages are stored gzipped (a public page
holds no secret, so compressing it gives BREACH nothing to read) and sent so
to every browser, which all accept it: a fifth of the bytes to fetch from
the cache and to send.

A request or response that is personal is never stored nor served from the
cache: a session cookie (a logged-in reader or staff, or a reader whose own
comment awaits moderation), a pending message cookie, or a response that
sets a cookie. That includes the CSRF cookie: a page whose forms carry a
token is personal. Forms on shared pages (the comments under a story) carry
none and fetch it with JavaScript; see comments.views.token.
"""

import gzip
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.text import compress_string

from .invalidation import GENERATION_KEY, current_generation
from .pages import is_personal, is_public, seconds_to_keep

ACCEPTS_GZIP = re.compile(r"\bgzip\b")


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
            # Read before rendering: a change committed while the page renders makes what it stores stale.
            generation = found.get(GENERATION_KEY) or current_generation()
            entry = found.get(key)
            if entry and entry["generation"] == generation:
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
        timeout = seconds_to_keep()
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
