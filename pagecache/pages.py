"""Which responses are shared by every reader, and how long they may be kept."""

import functools

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import Resolver404, resolve

_expiries = []


def public_page(view):
    """Mark a view whose anonymous responses are the same for every reader (it may be a Feed or Django's own)."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    page.public_page = True
    return page


def is_public(path):
    """Whether a ``@public_page`` view serves ``path``: other addresses (the read beacon) skip the cache."""
    try:
        return getattr(resolve(path).func, "public_page", False)
    except Resolver404:
        return False


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


def seconds_to_keep():
    """How long a page rendered now may be stored: PAGE_CACHE_SECONDS, or less when a registered bound is nearer."""
    bounds = [settings.PAGE_CACHE_SECONDS]
    for seconds_left in _expiries:
        left = seconds_left()
        if left is not None:
            bounds.append(left)
    return min(bounds)
