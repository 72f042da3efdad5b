"""Making exactly the stored pages that show a changed object stale, once the change is committed.

Every public page records *tags*: names of what it shows ("story:12",
"author:3", "home"), told by the apps (``pagecache.pages.tag``). Each tag
has a version in the shared cache; a stored page keeps the versions its
tags had when it was rendered and is fresh only while they all still match
(one cache read of the page and its tags' versions, see middleware.py). A
change gives the tags it affects new versions when its transaction commits,
and asks the edge caches to purge the same tags (edge.py): the pages that
show the change go stale everywhere, and every other stored page stays.

Versions come from one counter in the cache, the *clock*, that every change
advances. A request reads the clock before it renders; a tag whose version
is past that reading changed while the page was being rendered (perhaps
after it read the rows), so the page is not kept as fresh. Invalidating
before the commit would let a reader store the old rows under the new
version, so it happens on commit only.

Most changes are *routine* (a story edited, a comment approved, a placement
moved): while one request renders the page again, readers may be served
the copy from just before, here (``X-Page-Cache: stale``) and at the edge
(a soft purge: the edge serves its copy while one background fetch is under
way). A change after which no stale copy may ever be served again is
*urgent*: a story withdrawn, unpublished or deleted, a photo taken off a
story, a scheduled story going live, and every site-wide change. The
change says which (``invalidate(tags, urgent=True)``, or a model's
``urgent_change()``): its tags also get an *urgent version*, and a stored
page is served stale only while none of its tags has an urgent version
newer than the clock it was rendered from; the edge is purged hard.

Site-wide changes (site settings, the section menu every page shows, a
deploy: ``invalidate_site``) start a new *generation* instead, which every
stored page carries and which makes them all stale at once (urgently). If the cache
cannot be reached when a change commits, the change is not lost: this
process records it (its tags' new versions, or the new generation) as soon
as the cache answers again (see ``settle_missed``), before it serves any
page from it.
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models, transaction

from . import edge

GENERATION_KEY = "pages:generation"
CLOCK_KEY = "pages:clock"
# Pages that record no tag of their own depend on every change: forgetting to tag a page never makes it stale.
UNTAGGED = "untagged"
# A tag's version lives this long after it was last needed (a lost version only makes its pages stale).
VERSION_SECONDS = 7 * 24 * 3600

logger = logging.getLogger(__name__)
# More tags than this missed while the cache was unreachable are recorded as a site-wide change (settle_missed).
MISSED_TAGS = 10_000


class Missed:
    """What this process could not record while the cache was unreachable, recorded as soon as it answers
    (``settle_missed``): the tags of the changes missed, or a new generation once a site-wide change was
    missed (or too many tags were).

    A write that times out is often one that came back late on a saturated machine (the process waited
    for a CPU) with the cache up; making every page stale for it, here and hard at the edge, was the
    newsroom workload's p99 tail (bench/README.md, "The p99 tail").
    """

    def __init__(self):
        self.clear()

    def __bool__(self):
        return self.site or bool(self.tags)

    def clear(self):
        self.tags, self.urgent, self.site = set(), set(), False

    def add(self, tags, urgent):
        self.tags |= tags
        self.urgent |= urgent
        self.site = self.site or len(self.tags) > MISSED_TAGS


_missed = Missed()
# Tags of changes committed on this thread and not yet applied: the on-commit callbacks of one
# transaction (a story, its bylines, its tags) apply them together, in one write and one purge.
_pending = threading.local()


def version_key(tag):
    return "pages:tag:" + tag


def urgent_key(version_name):
    """The key of the urgent version of the tag whose version is kept under ``version_name``."""
    return "pages:urgent:" + version_name.removeprefix("pages:tag:")


def current_generation():
    """The generation pages rendered from now on belong to; started if the cache has lost it."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def current_clock():
    """The clock's reading; started from the time if the cache has lost it, so that it never goes back."""
    cache.add(CLOCK_KEY, time.time_ns(), None)
    return cache.get(CLOCK_KEY)


def tick():
    """Advance the clock and return its new reading."""
    cache.add(CLOCK_KEY, time.time_ns(), None)
    return cache.incr(CLOCK_KEY)


def new_generation():
    """Start a new generation and purge every page at the edge; if the cache is unreachable, remember it."""
    try:
        cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:
        _missed.site = True
        logger.warning("Page cache unreachable: stored pages will be made stale once it answers.", exc_info=True)
    else:
        _missed.clear()
    edge.purge_all()


def new_versions(tags, urgent=()):
    """Give these tags (and the untagged pages) new versions, then purge them at the edge: those of
    ``urgent`` (a subset) hard, so that no stale copy of their pages is served again, the others soft."""
    urgent = {*urgent, UNTAGGED} if urgent else set()
    tags = {*tags, *urgent, UNTAGGED}
    try:
        write_versions(tags, urgent)
    except Exception:
        _missed.add(tags, urgent)
        logger.warning("Page cache unreachable: these pages will be made stale once it answers.", exc_info=True)
    purge_at_edge(tags, urgent)


def purge_at_edge(tags, urgent):
    if tags - urgent:
        edge.purge(tags - urgent)
    if urgent:
        edge.purge(urgent, hard=True)


def write_versions(tags, urgent):
    """New versions for ``tags`` (``urgent`` ones marked so), between two ticks of the clock."""
    version = tick()
    versions = {version_key(tag): version for tag in tags}
    versions.update({urgent_key(version_key(tag)): version for tag in urgent})
    cache.set_many(versions, VERSION_SECONDS)
    # Once more after: a clock that reads past ``version`` tells readers these versions are written.
    tick()


def settle_missed():
    """Record the changes this process missed while the cache was unreachable (``Missed``); True if there were
    any. Their tags are purged at the edge again: it may have fetched their pages meanwhile from stored copies
    that did not know of them. Raises if the cache still fails: nothing stored is to be served until then."""
    if not _missed:
        return False
    if _missed.site:
        new_generation()
        return True
    tags, urgent = _missed.tags, _missed.urgent
    write_versions(tags, urgent)
    _missed.clear()
    purge_at_edge(tags, urgent)
    return True


@dataclass(frozen=True)
class Reading:
    """The generation and the clock, read before a render reads any row: what it stores is judged against them."""

    generation: int
    clock: int


def reading(found=None):
    """The Reading now, from ``found`` (what a ``get_many`` of GENERATION_KEY and CLOCK_KEY returned) where it
    holds them; each is read, or started if the cache has lost it, where it does not.

    The changes this process could not record while the cache was down are
    recorded first (``settle_missed``), and both are read again after them.
    """
    if settle_missed() or found is None:
        found = cache.get_many([GENERATION_KEY, CLOCK_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    return Reading(generation, found[CLOCK_KEY] if CLOCK_KEY in found else current_clock())


def versions_of(tags, clock):
    """({version key: version} of ``tags``, the clock's reading now) for storing what shows them.

    A tag with no version yet gets ``clock`` (read before rendering) as its
    first; if another request or a change gave it one first, that one counts.
    What is stored with a version past ``clock`` (see ``changed_since``) may
    show rows from before the change that gave it.
    """
    names = [version_key(name) for name in tags]
    found = cache.get_many([CLOCK_KEY, *names])
    now = found.pop(CLOCK_KEY, None)
    for name in names:
        if name not in found:
            found[name] = clock if cache.add(name, clock, VERSION_SECONDS) else cache.get(name)
    return found, now


def versions_now(names):
    """{version key: version} of these version keys, as the cache holds them now."""
    return cache.get_many(names)


def changed_since(versions, clock):
    """Whether any of these versions (``versions_of``) was given after ``clock`` was read, or was lost."""
    return any(version is None or version > clock for version in versions.values())


def invalidate_site(using=None):
    """Make every stored page stale, here and at the edge, when the current transaction commits.

    For what every page shows (the section menu, site settings) and for deploys; anything
    narrower calls ``invalidate``.
    """
    transaction.on_commit(new_generation, using=using)


# The name other apps have used for the site-wide call.
invalidate_pages = invalidate_site


def invalidate(tags, using=None, urgent=False):
    """Make the stored pages tagged with any of ``tags`` stale when the current transaction commits.

    ``tags`` None means every page (``invalidate_site``); an empty list, none. ``urgent``: no
    stale copy of those pages may be served from then on (see above), at the edge either.
    """
    if tags is None:
        invalidate_site(using)
        return
    if not tags:
        return
    if getattr(_pending, "tags", None) is None:
        _pending.tags, _pending.urgent = set(), set()
    _pending.tags.update(tags)
    if urgent:
        _pending.urgent.update(tags)
    transaction.on_commit(_apply_pending, using=using)


def _apply_pending():
    """Apply every pending tag at once; the transaction's later callbacks find nothing left to do.

    Tags of a transaction that was rolled back stay pending and go with the next commit: a
    page made stale for nothing, never one left stale.
    """
    tags, urgent = getattr(_pending, "tags", None), getattr(_pending, "urgent", set())
    _pending.tags, _pending.urgent = set(), set()
    if tags:
        new_versions(tags, urgent)


def changed_tags_of(rows):
    """The tags a change to these rows affects; None if any of them affects every page."""
    tags = set()
    for row in rows:
        row_tags = row.changed_tags()
        if row_tags is None:
            return None
        tags.update(row_tags)
    return tags


class ShownOnPagesQuerySet(models.QuerySet):
    """QuerySet mixin: bulk updates and deletes of rows that pages show make those pages stale.

    The rows' tags are read before the change and, for an update, after it
    (the rows as they were and as they are): one query each, or what the
    model's ``bulk_changed_tags(queryset)`` costs. A delete is urgent; an
    update is when the model's ``bulk_update_is_urgent(fields)`` says so.
    """

    def _changed_tags(self, rows):
        bulk = getattr(self.model, "bulk_changed_tags", None)
        return bulk(rows) if bulk else changed_tags_of(rows)

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        rows = self.model._base_manager.using(self.db).filter(pk__in=pks)
        before = self._changed_tags(rows) if pks else set()
        count = super().update(**kwargs)
        if count:
            after = self._changed_tags(rows.all())
            urgent = getattr(self.model, "bulk_update_is_urgent", lambda fields: False)(kwargs.keys())
            invalidate(None if before is None or after is None else before | after, self.db, urgent)
        return count

    update.alters_data = True

    def delete(self):
        tags = self._changed_tags(self)
        result = super().delete()
        if result[0]:
            invalidate(tags, self.db, urgent=True)
        return result

    delete.queryset_only = True
    delete.alters_data = True


class ShownOnPages:
    """Model mixin: saving or deleting a row that pages show makes those pages stale.

    ``changed_tags()`` names the tags of the pages a change to the row
    affects: None (the default) for every page, or a list of tags; asked
    after a save and before a delete. A row whose change can move it to
    other pages (a story to another section) names the pages of both its
    states: the model remembers the state it was loaded or last saved in.

    A model whose rows pages show only in some states (a comment, once
    approved) overrides ``is_shown()``: a save then invalidates only if the
    row was shown as loaded or is shown as saved, so a change no reader sees
    (a new pending comment, a rejected one) leaves every stored page alone.
    ``shown_fields`` names the fields ``is_shown()`` reads; a row loaded
    without them counts as shown, so that nothing is read to find out.

    Deleting a shown row, or a save after which a shown row is no longer
    shown (a comment removed), is urgent; a model names its other urgent
    saves in ``urgent_change()`` (asked after the save, like ``changed_tags``),
    and the pages a delete affects in ``deleted_tags()`` if they differ.
    """

    shown_fields = ()

    def is_shown(self):
        return True

    def changed_tags(self):
        return None

    def urgent_change(self):
        return False

    def deleted_tags(self):
        """The tags of the pages deleting this row affects (asked before the delete)."""
        return self.changed_tags()

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        loaded = set(cls.shown_fields) <= set(field_names)
        row._was_shown = row.is_shown() if loaded else True
        return row

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        shown, was_shown = self.is_shown(), getattr(self, "_was_shown", False)
        if shown or was_shown:
            invalidate(self.changed_tags(), self._state.db, urgent=not shown or self.urgent_change())
        self._was_shown = shown

    def delete(self, *args, **kwargs):
        shown = self.is_shown() or getattr(self, "_was_shown", False)
        tags = self.deleted_tags()
        result = super().delete(*args, **kwargs)
        if shown:
            invalidate(tags, self._state.db, urgent=True)
        return result
