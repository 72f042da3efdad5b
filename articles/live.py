"""Live coverage: a story that grows by timestamped updates, newest first, until an editor ends it.

Readers without JavaScript see new updates when they reload the story; with
it, ``static/js/live.js`` asks ``/story/<id>/updates/?since=<last id>`` every
LIVE_POLL_SECONDS (15 at least) for the updates after the last it has. That
answer is a public page like the story itself: stored in the page cache,
shared by every reader who has seen the same update, and made stale on commit
by the next update. So a spike of readers costs one render per update, not
one per reader.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pagecache.invalidation import ShownOnPages, ShownOnPagesQuerySet
from photos.models import Photo

from .models import Article, Author, check_body_of, sanitize_body_of

# The most updates one answer to a poll carries: a reader away longer reloads the page.
POLL_LIMIT = 50


def this_second():
    """Now, to the second: what readers see, and what an HTML datetime attribute may carry."""
    return timezone.now().replace(microsecond=0)


class LiveUpdateQuerySet(ShownOnPagesQuerySet):
    def for_page(self):
        """Newest first, with what each update shows, in a fixed number of queries."""
        return self.select_related("author", "photo").order_by("-posted_at", "-id")

    def after(self, last_id):
        """The updates posted after the one a reader's page has (ids only grow), newest first."""
        return self.filter(pk__gt=last_id).for_page()[:POLL_LIMIT]


class LiveUpdate(ShownOnPages, models.Model):
    """One timestamped entry of a live story, with its own anchor (#update-<id>) and permanent address."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="live_updates",
        limit_choices_to={"live_coverage": True},
        verbose_name=_("story"),
    )
    posted_at = models.DateTimeField(_("time"), default=this_second, help_text=_("The time readers see on the update."))
    headline = models.CharField(
        _("headline"), max_length=200, blank=True, help_text=_("Optional: a few words in bold.")
    )
    body = models.TextField(_("body"), help_text=_("Cleaned like a story's body when saved."))
    author = models.ForeignKey(
        Author, verbose_name=_("author"), null=True, blank=True, on_delete=models.PROTECT, related_name="live_updates"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), null=True, blank=True, on_delete=models.PROTECT, related_name="in_live_updates"
    )
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Keep this update at the top of the story."))
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = LiveUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [models.Index(fields=["article", "-posted_at", "-id"], name="live_update_article_time")]

    def __str__(self):
        return self.headline or _("Update of %(time)s") % {
            "time": date_format(timezone.localtime(self.posted_at), "SHORT_DATETIME_FORMAT")
        }

    def save(self, *args, **kwargs):
        sanitize_body_of(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The update's address forever: it redirects to the story's current address, at the update."""
        return reverse("articles:live_update", kwargs={"pk": self.article_id, "update": self.pk})

    def changed_tags(self):
        """Only the pages showing its story's updates (the story and its poll answers): cards show none."""
        return [f"live:{self.article_id}"]

    @property
    def anchor(self):
        return f"update-{self.pk}"

    def clean(self):
        check_body_of(self)
        article = self.article if self.article_id else None
        if article is not None and self._state.adding and not article.live_running:
            message = (
                _("Live coverage of this story has ended.") if article.live_coverage else _("This is not a live story.")
            )
            raise ValidationError({"article": message})
