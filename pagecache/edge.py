"""Purging pages from the edge caches in front of the app servers (Varnish, a CDN) by tag.

Every public response names its tags in three headers, one per convention:
``xkey`` (Varnish's xkey module), ``Surrogate-Key`` (Fastly, Akamai,
Varnish Enterprise) and ``Cache-Tag`` (Cloudflare). Each carries the tag
``site`` too, so that a site-wide change purges everything.

When a change commits, ``purge(tags, hard)`` hands the tags to the
configured purger, which tells every edge in ``EDGE_PURGE_URLS``. The change
decides how (see invalidation.py): a routine one purges *soft* (the edge
marks the pages expired and keeps serving them, within their
stale-while-revalidate, while one background fetch gets the new page), an
urgent one (a withdrawal, a go-live, a site-wide change) *hard* (the pages
are gone: the next reader waits for the fresh one, and no stale copy is
ever served). A purge that fails is
logged, never raised: an editor's save is already committed and must not
fail because an edge is unreachable; the edge then keeps the page at most
its ``s-maxage``. ``purge`` returns the tags that could not be purged
everywhere, so that a background job can try them again.

The app's own cache refuses to keep a page during whose rendering one of
its tags changed, and sends that page with ``s-maxage=0``. A page fetched
by the edge just before a change, whose response reaches the edge after the
purge, can still be kept: for at most its ``s-maxage``. A background job
that purges the same tags again a few seconds later closes that window.

Another edge plugs in with a subclass of ``EdgePurger`` named by the
``EDGE_PURGER`` setting (a dotted path). It implements
``send(url, tags, hard)`` for one edge and one batch of tags, raising on
failure; a soft purge (``hard`` false) may be sent as a hard one where the
edge has no soft purge, never the other way round. A CDN's would call its
API: Fastly's ``POST /service/<id>/purge`` with a ``Surrogate-Key`` header,
and ``Fastly-Soft-Purge: 1`` when not ``hard``; Cloudflare's
``POST /zones/<id>/purge_cache`` with ``{"tags": [...]}``, which is always
hard (it has no soft purge); each with the API token from a setting of its
own. ``EDGE_PURGE_URLS`` then holds the API address.
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

# Carried by every public response: purging it empties the edge of the site's pages.
SITE_TAG = "site"

logger = logging.getLogger(__name__)


def headers(tags):
    """The response headers that tell every kind of edge what this page shows."""
    tags = sorted({*tags, SITE_TAG})
    return {"xkey": " ".join(tags), "Surrogate-Key": " ".join(tags), "Cache-Tag": ",".join(tags)}


class EdgePurger:
    """Purges tags at each edge of ``urls``; subclasses say how to talk to one edge in ``send``."""

    # Tags sent in one request: keeps each request's header well under common 8 kB limits.
    batch_size = 100

    def __init__(self, urls, timeout):
        self.urls = urls
        self.timeout = timeout

    def purge(self, tags, hard=False):
        """Purge ``tags`` everywhere, soft or ``hard``; returns those that failed somewhere (logged, never
        raised)."""
        tags = sorted(tags)
        failed = set()
        for url in self.urls:
            for start in range(0, len(tags), self.batch_size):
                batch = tags[start : start + self.batch_size]
                try:
                    self.send(url, batch, hard)
                except Exception as error:
                    failed.update(batch)
                    logger.warning("Edge purge of %s at %s failed: %r", " ".join(batch), url, error)
        return failed

    def send(self, url, tags, hard):
        raise NotImplementedError


class VarnishPurger(EdgePurger):
    """``PURGE`` with the tags in an ``xkey-softpurge`` header, or ``xkey-purge`` for a hard purge, as
    deploy/varnish/default.vcl expects."""

    def send(self, url, tags, hard):
        header = "xkey-purge" if hard else "xkey-softpurge"
        request = urllib.request.Request(url, method="PURGE", headers={header: " ".join(tags)})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            if response.status != 200:
                raise urllib.error.HTTPError(url, response.status, response.reason, response.headers, None)


def purger():
    """The configured purger, or None when no edge is configured."""
    if not settings.EDGE_PURGE_URLS:
        return None
    return import_string(settings.EDGE_PURGER)(settings.EDGE_PURGE_URLS, settings.EDGE_PURGE_TIMEOUT)


def purge(tags, hard=False):
    """Purge pages with any of ``tags`` at every configured edge, soft or ``hard``; the tags that failed."""
    edge = purger()
    return edge.purge(tags, hard) if edge else set()


def purge_all():
    """Every page, hard: what every page shows has changed."""
    return purge([SITE_TAG], hard=True)
