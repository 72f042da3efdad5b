"""Which responses are shared by every reader, which query parameters tell them apart, what they show, how long
they may be kept."""

import contextlib
import functools

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import Resolver404, get_urlconf, resolve

# How many addresses a process remembers the view of (see public_params).
KNOWN_ADDRESSES = 10000

_expiries = []


def public_page(view=None, *, params=(), tags=()):
    """Mark a view whose anonymous responses are the same for every reader (it may be a Feed or Django's own).

    ``params`` names the query parameters the view reads (a page cursor, a
    filter): the page is stored once per combination of their values. Any
    other parameter (``utm_source``, ``fbclid``, a random one) is hidden from
    the view and from the cache key, so the reader gets the canonical page and
    nobody can make the cache store or render a page again by adding one.

    ``tags`` are tags every response of the view carries (see ``tag``).

    Use it bare (``@public_page``), with parameters
    (``@public_page(params=["before", "after"])``) or as a call
    (``public_page(view, params=["p"], tags=["sitemaps"])``).
    """
    if view is None:
        return functools.partial(public_page, params=params, tags=tags)

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        tag(request, *tags)
        return view(request, *args, **kwargs)

    page.public_page_params = frozenset(params)
    return page


def tag(request, *tags):
    """Record that the response to ``request`` shows what these tags name, e.g. ``"story:12"``, ``"home"``.

    A change to what a tag names makes the stored pages that carry it stale
    (``invalidation.invalidate``), here and at the edge. A page that records
    no tag goes stale with every change.
    """
    request.__dict__.setdefault("page_tags", set()).update(tags)
    for collected in request.__dict__.get("tag_collectors", ()):
        collected.update(tags)


@contextlib.contextmanager
def collected_tags(request):
    """The tags recorded for ``request`` inside the block, as a set: what a fragment rendered there shows."""
    collected = set()
    collectors = request.__dict__.setdefault("tag_collectors", []) if request is not None else []
    collectors.append(collected)
    try:
        yield collected
    finally:
        collectors.pop()  # the innermost block ends first


def tags_of(request):
    """The tags recorded for the response to ``request``."""
    return request.__dict__.get("page_tags", set())


def public_params(path):
    """The query parameters the ``@public_page`` view at ``path`` reads; None for other addresses (the read beacon).

    Remembered per address and URLconf: resolving a story's address (dozens of patterns tried) cost a
    page-cache hit a fifth of its time.
    """
    return _public_params(get_urlconf() or settings.ROOT_URLCONF, path)


@functools.lru_cache(maxsize=KNOWN_ADDRESSES)
def _public_params(urlconf, path):
    try:
        return getattr(resolve(path, urlconf).func, "public_page_params", None)
    except Resolver404:
        return None


def is_personal(request):
    """A session (staff, or a reader whose own comment awaits moderation) or a pending message."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def register_expiry(seconds_left):
    """Bound how long any page is kept: ``seconds_left()`` returns seconds, or None for no bound.

    The articles app registers the time until the next scheduled story goes
    live, so that no stored page outlives the moment it would change by itself.
    """
    _expiries.append(seconds_left)


def lifetime(request=None):
    """How long a page rendered now may be kept, here or at the edge (PAGE_CACHE_SECONDS, or less when a
    registered bound is nearer), and the seconds to the nearest bound (None for none), past which it is not
    served even as stale.

    Read before the page is rendered: a story that goes live during the render may be missing from it, and a
    bound read afterwards would be the next one.
    """
    bound = seconds_until_change(request)
    return min(settings.PAGE_CACHE_SECONDS, bound if bound is not None else settings.PAGE_CACHE_SECONDS), bound


def seconds_to_keep(request=None):
    return lifetime(request)[0]


def seconds_until_change(request=None):
    """The nearest of the registered bounds (``register_expiry``), or None: what is rendered now may change by
    itself then. Asked once per request: its page and the fragments it stores share the answer."""
    if request is not None and "seconds_until_change" in request.__dict__:
        return request.seconds_until_change
    bounds = [left for left in (seconds_left() for seconds_left in _expiries) if left is not None]
    if request is not None:
        request.seconds_until_change = min(bounds, default=None)
    return min(bounds, default=None)
