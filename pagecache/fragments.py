"""Pieces of pages (a story's card, its comment thread, a photo) and values every render reads (the comment
rules), kept in the shared cache while what they show is unchanged.

A page the page cache cannot serve (a change made it stale, the cache is
cold, the reader has a session) is mostly made of pieces that did not
change: the cards of a home page whose one story was edited, the comments
of a story whose headline was. A *fragment* is such a piece, stored with the
versions its tags had (the same tags and versions as pages, see
invalidation.py), under a key that names the generation. It is used only
while they are all unchanged: the change that would make it stale gives one
of its tags a new version, or starts a new generation, when it commits. A
page that includes a fragment records the fragment's tags too
(``pages.tag``), so that it goes stale with it, here and at the edge.

A fragment's tags are stored with it, so a page can look it up by its key
alone, before reading the rows it shows: a page of cards reads the story ids
first and the stories, bylines and photos only for the cards it must render.
So a key with what tells the piece apart must fix the tags that piece can
have: whatever would change its tags (a story's new byline) changes one of
the tags it has (the story's). A fragment's tags include those recorded
while it rendered (``pages.collected_tags``): a fragment holding cards goes
stale with them.

The generation and the clock are read before the view reads any row
(``FragmentMiddleware``, or the page cache's reading of them for a page it
must render): a fragment is not stored when one of its tags changed after
that, since its rows may then be from before the change. So what is stored
is never older than the versions it is stored with.

Looking up any number of fragments (a page of cards) is one cache read, and
one more for their tags' versions when a change came after they were stored.
A fragment is shared by every reader: nothing personal (a reader's own
pending comment, a form's state, a CSRF token) may be inside one. When the
cache fails, pieces are rendered without it for a while, as pages are.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.connection import ConnectionProxy

from . import invalidation
from .middleware import RETRY_SECONDS
from .pages import collected_tags, seconds_until_change, tag

logger = logging.getLogger(__name__)
_down_until = 0.0
# Fragments are kept apart from pages (newsdesk/settings.py); their tags' versions are the pages' own.
cache = ConnectionProxy(caches, "fragments")


def _ask(call):
    """``call()``, which asks the cache, or None when it fails or failed less than RETRY_SECONDS ago."""
    global _down_until
    if time.monotonic() < _down_until:
        return None
    try:
        return call()
    except Exception as error:
        _down_until = time.monotonic() + RETRY_SECONDS
        logger.warning("Cache unreachable, rendering fragments without it for %s s: %r", RETRY_SECONDS, error)
        return None


def stored_as(reading, name):
    """Where a fragment is kept in ``reading``'s generation: a new one starts from none, and reads no stale one."""
    return f"{name}@{reading.generation}"


class FragmentMiddleware:
    """Reads the generation and the clock before a ``@public_page`` view runs, for the fragments it renders,
    and stores those it rendered once the page is complete, in one write.

    Placed after PageCacheMiddleware: a page served from the cache costs nothing more, and one it renders
    lends its reading.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        reading, rendered = getattr(request, "fragment_reading", None), request.__dict__.get("fragments_rendered")
        if reading and rendered:
            store(reading, rendered, seconds_until_change(request))
        return response

    def process_view(self, request, view, args, kwargs):
        if settings.FRAGMENT_SECONDS > 0 and hasattr(view, "public_page_params"):
            request.fragment_reading = getattr(request, "page_reading", None) or _ask(invalidation.reading)


def key(name, *parts):
    """The cache key of a fragment: its kind, what tells it apart, and the language and time zone it shows."""
    return ":".join([prefix(name), *map(str, parts)])


def prefix(name):
    """The start of the keys of the fragments of kind ``name`` now: for making many keys at once."""
    return f"fragments:{translation.get_language()}:{timezone.get_current_timezone_name()}:{name}"


def expect(request, keys):
    """Look up these fragments with the next ones the page asks for: one cache read for all."""
    if request is not None and keys:
        request.__dict__.setdefault("fragments_expected", set()).update(keys)


def find(request, keys):
    """{key: value} of the fragments of ``keys`` stored fresh; the page records their tags.

    One cache read looks them up, with those the page said it expects (each
    key is asked once a request). Without a reading of the clock (no request,
    fragments off, or the cache is down) none is found.
    """
    reading = getattr(request, "fragment_reading", None)
    if reading is None:
        return {}
    state = request.__dict__
    found, asked = state.setdefault("fragments_found", {}), state.setdefault("fragments_asked", set())
    wanted = (state.pop("fragments_expected", set()) | set(keys)) - asked
    if wanted:
        asked.update(wanted)
        found.update(lookup(reading, wanted))
    hits = {name: found[name] for name in keys if name in found}
    for _, tags in hits.values():
        tag(request, *tags)
    return {name: value for name, (value, _) in hits.items()}


def kept_keys(request):
    """The keys of the fragments found fresh so far for ``request``, with those it expected."""
    return request.__dict__.get("fragments_found", {}).keys() if request is not None else set()


def keep(request, name, value, tags):
    """Store ``value`` as the fragment ``name`` showing ``tags`` once the page is complete; the page records
    the tags."""
    if request is None:
        return
    tag(request, *tags)
    if getattr(request, "fragment_reading", None) is not None:
        request.__dict__.setdefault("fragments_rendered", {})[name] = (value, list(tags))


def render_many(request, pieces):
    """The values of ``pieces``, [(key, tags, render)], from the cache where fresh, else ``render()``, kept.

    ``tags`` may be a callable, asked after ``render()``: what it names is
    often read by the render. Tags recorded during ``render()`` (the cards
    inside a piece) are the piece's too.
    """
    found = find(request, [name for name, _, _ in pieces])
    values = []
    for name, tags, render in pieces:
        if name not in found:
            with collected_tags(request) as inner:
                found[name] = render()
            keep(request, name, found[name], {*(tags() if callable(tags) else tags), *inner})
        values.append(found[name])
    return values


def remembered(request, name, tags, compute):
    """``compute()``, kept as the fragment ``name`` while ``tags`` and the generation stay unchanged: for rows
    every render of a page reads, as fresh as a stored page that shows them."""
    (value,) = render_many(request, [(key(name), tags, compute)])
    return value


def later(function):
    """``function``, for a template to pass on uncalled: ``{% fragment ... tags=... %}`` calls it for the
    tags only when it renders the block."""
    function = functools.partial(function)
    function.do_not_call_in_templates = True
    return function


def lookup(reading, wanted):
    """{key: (value, tags)} of the fragments of ``wanted`` stored with their tags' versions now.

    A fragment stored at the clock's present reading is fresh without a look
    at its tags: every change advances the clock (see middleware.py's
    ``fresh``). The others' tags are read in one more cache read.
    """
    fresh, unsure = {}, {}
    stored = _ask(lambda: cache.get_many([stored_as(reading, name) for name in wanted])) or {}
    for name in wanted:
        entry = stored.get(stored_as(reading, name))
        if entry is None or "tags" not in entry:  # none, or stored by an older release: rendered again
            continue
        if entry["clock"] == reading.clock:
            fresh[name] = (entry["value"], entry["tags"])
        else:
            unsure[name] = entry
    if unsure:
        names = {name for entry in unsure.values() for name in entry["versions"]}
        versions = _ask(lambda: invalidation.versions_now(names)) or {}
        for name, entry in unsure.items():
            if all(versions.get(tag) == version for tag, version in entry["versions"].items()):
                fresh[name] = (entry["value"], entry["tags"])
    return fresh


def store(reading, rendered, bound=None):
    """Keep the fragments ``rendered`` ({key: (value, tags)}) whose tags have not changed since ``reading``,
    for at most ``bound`` seconds if given: no fragment outlives the moment pages change by themselves (a
    scheduled story goes live in a section's list of related stories), as no stored page does."""
    tags = sorted({name for _, tags in rendered.values() for name in tags})
    versions, _ = _ask(lambda: invalidation.versions_of(tags, reading.clock)) or (None, None)
    if versions is None:
        return
    entries = {}
    for fragment, (value, tags) in rendered.items():
        shown = {invalidation.version_key(name): versions[invalidation.version_key(name)] for name in tags}
        if not invalidation.changed_since(shown, reading.clock):
            entries[stored_as(reading, fragment)] = {
                "clock": reading.clock,
                "versions": shown,
                "tags": tags,
                "value": value,
            }
    timeout = settings.FRAGMENT_SECONDS if bound is None else min(settings.FRAGMENT_SECONDS, bound)
    if entries and timeout > 0:
        _ask(lambda: cache.set_many(entries, timeout))
