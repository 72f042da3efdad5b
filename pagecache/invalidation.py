"""Making stored pages stale when what they show changes, once the change is committed.

Every stored page carries the *generation* current when its request began.
A change starts a new generation on commit: a reader who rendered the page
from the old rows before the commit stored it under the old generation, so
it is never served after the change. Invalidating before the commit would
let such a reader store the old page under the new generation.
"""

import time

from django.core.cache import cache
from django.db import models, transaction

GENERATION_KEY = "pages:generation"


def current_generation():
    """The generation pages rendered from now on belong to; started if the cache has lost it."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def new_generation():
    cache.set(GENERATION_KEY, time.time_ns(), None)


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
    """Model mixin: saving or deleting a row that pages show makes stored pages stale."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_pages(self._state.db)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        invalidate_pages(self._state.db)
        return result
