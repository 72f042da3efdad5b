"""Making stored pages stale when what they show changes, once the change is committed.

Every stored page carries the *generation* current when its request began.
A change starts a new generation on commit: a reader who rendered the page
from the old rows before the commit stored it under the old generation, so
it is never served after the change. Invalidating before the commit would
let such a reader store the old page under the new generation.

If the cache cannot be reached when a change commits, the change is not
lost: this process starts the new generation as soon as the cache answers
again (see ``settle_missed``), before it serves any page from it.
"""

import logging
import time

from django.core.cache import cache
from django.db import models, transaction

GENERATION_KEY = "pages:generation"

logger = logging.getLogger(__name__)
_missed = False


def current_generation():
    """The generation pages rendered from now on belong to; started if the cache has lost it."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def new_generation():
    """Start a new generation; if the cache is unreachable, remember to start it once it is back."""
    global _missed
    try:
        cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:
        _missed = True
        logger.warning("Page cache unreachable: stored pages will be made stale once it answers.", exc_info=True)
    else:
        _missed = False


def settle_missed():
    """Start the generation a change could not start while the cache was unreachable; True if there was one."""
    if not _missed:
        return False
    new_generation()
    return True


def invalidate_pages(using=None):
    """Make every stored page stale, on every app server, when the current transaction commits."""
    transaction.on_commit(new_generation, using=using)


class ShownOnPagesQuerySet(models.QuerySet):
    """QuerySet mixin: bulk updates and deletes of rows that pages show make stored pages stale."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if count:
            invalidate_pages(self.db)
        return count

    update.alters_data = True

    def delete(self):
        result = super().delete()
        if result[0]:
            invalidate_pages(self.db)
        return result

    delete.queryset_only = True
    delete.alters_data = True


class ShownOnPages:
    """Model mixin: saving or deleting a row that pages show makes stored pages stale.

    A model whose rows pages show only in some states (a comment, once
    approved) overrides ``is_shown()``: a save then invalidates only if the
    row was shown as loaded or is shown as saved, so a change no reader sees
    (a new pending comment, a rejected one) leaves every stored page alone.
    ``shown_fields`` names the fields ``is_shown()`` reads; a row loaded
    without them counts as shown, so that nothing is read to find out.
    """

    shown_fields = ()

    def is_shown(self):
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        loaded = set(cls.shown_fields) <= set(field_names)
        row._was_shown = row.is_shown() if loaded else True
        return row

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        shown = self.is_shown()
        if shown or getattr(self, "_was_shown", False):
            invalidate_pages(self._state.db)
        self._was_shown = shown

    def delete(self, *args, **kwargs):
        shown = self.is_shown() or getattr(self, "_was_shown", False)
        result = super().delete(*args, **kwargs)
        if shown:
            invalidate_pages(self._state.db)
        return result
