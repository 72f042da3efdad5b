"""Pieces of pages (a story's card, its comment thread, a photo) kept in the shared cache while what they show
is unchanged.

A page the page cache cannot serve (a change made it stale, the cache is
cold, the reader has a session) is mostly made of pieces that did not
change: the cards of a home page whose one story was edited, the comments
of a story whose headline was. A *fragment* is such a piece, stored with the
versions its tags had (the same tags and versions as pages, see
invalidation.py), under a key that names the generation. It is used only while they are all
unchanged: the change that would make it stale gives one of its tags a new
version, or starts a new generation, when it commits. A page that includes
a fragment records the fragment's tags too (``pages.tag``), so that it
goes stale with it, here and at the edge.

The generation and the clock are read before the view reads any row
(``FragmentMiddleware``): a fragment is not stored when one of its tags
changed after that, since its rows may then be from before the change. So
what is stored is never older than the versions it is stored with.

Looking up any number of fragments (a page of cards) is one cache read, and
one more for their tags' versions when a change came after they were stored. A fragment is
shared by every reader: nothing personal (a reader's own pending comment, a
form's state, a CSRF token) may be inside one. When the cache fails, pieces
are rendered without it for a while, as pages are.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from .invalidation import (
    CLOCK_KEY,
    GENERATION_KEY,
    VERSION_SECONDS,
    current_clock,
    current_generation,
    settle_missed,
    version_key,
)
from .middleware import RETRY_SECONDS
from .pages import tag

logger = logging.getLogger(__name__)
_down_until = 0.0


@dataclass(frozen=True)
class Reading:
    """The generation and the clock, as read before the view read any row."""

    generation: int
    clock: int

    def stored_as(self, key):
        """Where a fragment of this generation is kept: a new one starts from none, and reads no stale one."""
        return f"{key}@{self.generation}"


def _ask(call, *args):
    """``call(*args)`` on the cache, or None when it fails or failed less than RETRY_SECONDS ago."""
    global _down_until
    if time.monotonic() < _down_until:
        return None
    try:
        return call(*args)
    except Exception as error:
        _down_until = time.monotonic() + RETRY_SECONDS
        logger.warning("Cache unreachable, rendering fragments without it for %s s: %r", RETRY_SECONDS, error)
        return None


class FragmentMiddleware:
    """Reads the generation and the clock before a ``@public_page`` view runs, for the fragments it renders.

    Placed after PageCacheMiddleware: a page served from the cache costs nothing more.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        reading, rendered = getattr(request, "fragment_reading", None), request.__dict__.get("fragments_rendered")
        if reading and rendered:
            store(reading, rendered)
        return response

    def process_view(self, request, view, args, kwargs):
        if settings.FRAGMENT_SECONDS > 0 and hasattr(view, "public_page_params"):
            request.fragment_reading = _ask(read)


def read():
    """The generation and the clock now, each started if the cache has lost it.

    A change this process could not record while the cache was down starts a
    new generation first (``settle_missed``), as before a page is served.
    """
    found = cache.get_many([GENERATION_KEY, CLOCK_KEY])
    return Reading(
        current_generation() if settle_missed() or GENERATION_KEY not in found else found[GENERATION_KEY],
        found[CLOCK_KEY] if CLOCK_KEY in found else current_clock(),
    )


def key(name, *parts):
    """The cache key of a fragment: its kind, what tells it apart, and the language and time zone it shows."""
    return ":".join([prefix(name), *map(str, parts)])


def prefix(name):
    """The start of the keys of the fragments of kind ``name`` now: for making many keys at once."""
    return f"fragments:{translation.get_language()}:{timezone.get_current_timezone_name()}:{name}"


def expect(request, wanted):
    """Look up these fragments ({key: tags}) with the next ones the page renders: one cache read for all."""
    request.__dict__.setdefault("fragments_expected", {}).update(wanted)


def render_many(request, pieces):
    """The HTML of ``pieces``, [(key, tags, render)], from the cache where fresh, else ``render()``.

    One cache read looks them up, with those the page said it expects; the
    ones rendered are stored once the page is complete, all in one write
    (FragmentMiddleware). ``request`` records every piece's tags. Without a
    reading of the clock (no request, or the cache is down), every piece is
    rendered.
    """
    reading = getattr(request, "fragment_reading", None)
    if reading is None:
        if request is not None:
            tag(request, *(name for _, tags, _ in pieces for name in tags))
        return [render() for _, _, render in pieces]
    state = request.__dict__
    found, asked = state.setdefault("fragments_found", {}), state.setdefault("fragments_asked", set())
    wanted = {**state.pop("fragments_expected", {}), **{name: tags for name, tags, _ in pieces}}
    wanted = {name: tags for name, tags in wanted.items() if name not in asked}
    if wanted:
        asked.update(wanted)
        found.update(lookup(reading, wanted))
    rendered = state.setdefault("fragments_rendered", {})
    html = []
    for name, tags, render in pieces:
        tag(request, *tags)
        if name not in found:
            found[name] = rendered[name] = (render(), tags)
        html.append(found[name][0])
    return html


def lookup(reading, wanted):
    """{key: (html, tags)} of the fragments in ``wanted`` ({key: tags}) stored with their tags' versions now.

    A fragment stored at the clock's present reading is fresh without a look
    at its tags: every change advances the clock (see middleware.py's
    ``fresh``). The others' tags are read in one more cache read.
    """
    fresh, unsure = {}, {}
    stored = _ask(cache.get_many, [reading.stored_as(name) for name in wanted]) or {}
    for name, tags in wanted.items():
        entry = stored.get(reading.stored_as(name))
        if entry is None or entry["versions"].keys() != {version_key(tag) for tag in tags}:
            continue
        if entry["clock"] == reading.clock:
            fresh[name] = (entry["html"], wanted[name])
        else:
            unsure[name] = entry
    if unsure:
        versions = _ask(cache.get_many, list({name for entry in unsure.values() for name in entry["versions"]})) or {}
        for name, entry in unsure.items():
            if all(versions.get(tag) == version for tag, version in entry["versions"].items()):
                fresh[name] = (entry["html"], wanted[name])
    return fresh


def store(reading, rendered):
    """Keep the fragments ``rendered`` ({key: (html, tags)}) whose tags have not changed since ``reading``.

    A tag with no version yet gets the clock's reading as its first (as for
    pages); one given a version by a change or another request meanwhile
    keeps its fragments from being stored.
    """
    names = sorted({version_key(name) for _, tags in rendered.values() for name in tags})
    versions = _ask(cache.get_many, names)
    if versions is None:
        return
    for name in names:
        if name not in versions and _ask(cache.add, name, reading.clock, VERSION_SECONDS):
            versions[name] = reading.clock
    entries = {}
    for fragment, (html, tags) in rendered.items():
        stored = {version_key(name): versions.get(version_key(name)) for name in tags}
        if all(version is not None and version <= reading.clock for version in stored.values()):
            entries[reading.stored_as(fragment)] = {
                "clock": reading.clock,
                "versions": stored,
                "html": html,
            }
    if entries:
        _ask(cache.set_many, entries, settings.FRAGMENT_SECONDS)
