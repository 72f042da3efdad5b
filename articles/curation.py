"""Front-page curation: the stories that lead the home page and each section, and the breaking-news banner.

Editors place stories in the slots of a front page (the home page, or a
section's). A page shows its placed stories that are live, in their order,
then fills the slots left with what it shows without curation: the newest
top stories on the home page, the section's newest stories elsewhere. A
placed story that is unpublished or withdrawn drops out by itself (there is
nothing to clean up), and one placed before it goes live appears when it
does.

The banner is on every public page, so it costs no query: it is kept in the
cache under the page generation its change starts (see pagecache), and a
stored page never outlives its expiry time (``register_expiry``).
"""

import contextlib
from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pagecache.fragments import remembered
from pagecache.invalidation import ShownOnPages, ShownOnPagesQuerySet, current_generation

from .models import Article, Section, ids_from_any

# How many slots a front page has: the first is the lead story.
HOME_SLOTS = 5
SECTION_SLOTS = 4


class FrontPageQuerySet(models.QuerySet):
    def add_missing(self):
        """Give the home page and every section a front page, once (a new section gets its own here)."""
        have = set(self.values_list("section_id", flat=True))
        wanted = [None, *Section.objects.values_list("pk", flat=True)]
        self.bulk_create([FrontPage(section_id=pk) for pk in wanted if pk not in have], ignore_conflicts=True)


class FrontPage(models.Model):
    """The curated top of the home page (no section) or of one section's page."""

    section = models.OneToOneField(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.CASCADE, related_name="front_page"
    )

    objects = FrontPageQuerySet.as_manager()

    class Meta:
        ordering = [F("section__order").asc(nulls_first=True), "section__name"]
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")
        constraints = [
            # One home page: NULLs are distinct to a plain unique constraint.
            models.UniqueConstraint(Coalesce("section", Value(0)), name="one_front_page_per_page"),
        ]

    def __str__(self):
        if self.section_id:
            return _("%(name)s section") % {"name": self.section.name}
        return str(_("Home page"))

    def get_absolute_url(self):
        return self.section.get_absolute_url() if self.section_id else "/"

    @property
    def slots(self):
        return SECTION_SLOTS if self.section_id else HOME_SLOTS

    def shown(self):
        """The stories the page leads with now, placed and filled in, as readers see them."""
        live = Article.objects.published()
        if self.section_id:
            return list(home_section_stories(live.filter(section_id=self.section_id)))
        return list(home_top(live))


class Placement(ShownOnPages, models.Model):
    """A story in a slot of a front page; lower positions come first, the first is the lead."""

    front_page = models.ForeignKey(
        FrontPage, verbose_name=_("front page"), on_delete=models.CASCADE, related_name="placements"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="placements", verbose_name=_("story"))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("1 is the lead story."))

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("placed story")
        verbose_name_plural = _("placed stories")
        constraints = [models.UniqueConstraint(fields=["front_page", "article"], name="unique_placement")]

    def __str__(self):
        return f"{self.position}. {self.article}"

    def changed_tags(self):
        """The page it leads; a section's placements also pick that section's stories on the home page."""
        section_id = self.front_page.section_id
        return ["home", f"section:{section_id}"] if section_id else ["home"]

    def clean(self):
        section_id = self.front_page.section_id if self.front_page_id else None
        if section_id and self.article_id and self.article.section_id != section_id:
            raise ValidationError(
                {"article": _("This story is not in %(section)s.") % {"section": self.front_page.section}}
            )


# Each of these is one query (plus the cards' prefetches), whatever the archive's size: the stories are
# picked by id from the placements and from a walk down the date index that stops, and only those few
# are given their slot (a subquery per story would read every live story to sort them).


def placed(where):
    """The placements of the front pages ``where`` (a Q on Placement) picks out."""
    return Placement.objects.filter(where)


def slot(where):
    """A story's position on the front page ``where`` picks out, for annotating stories."""
    positions = placed(where).filter(article=OuterRef("pk")).order_by("position", "id")
    return Subquery(positions.values("position")[:1])


def home_top(live):
    """The home page's top stories: the placed ones in their order, then the newest marked “top story”."""
    home = Q(front_page__section__isnull=True)
    newest_top = live.filter(featured=True).latest_first().values("pk")[:HOME_SLOTS]
    return (
        live.filter(pk__in=ids_from_any(placed(home).values("article_id"), newest_top))
        .annotate(slot=slot(home))
        .order_by(F("slot").asc(nulls_last=True), "-publish_at", "-id")
        .for_cards()[:HOME_SLOTS]
    )


def home_section_stories(live):
    """The top of every section for the home page: each section's placed stories, then its newest."""
    sections = Q(front_page__section__isnull=False)
    return (
        live.top_per_section(
            SECTION_SLOTS,
            first=slot(Q(front_page__section=OuterRef("section"))),
            among=placed(sections).values("article_id"),
        )
        .for_cards()
        .order_by("section__order", "section__name", F("first").asc(nulls_last=True), "-publish_at", "-id")
    )


def home_lists(request, live):
    """The home page's top stories and its sections' blocks ([(section, stories)]), as ``for_cards`` reads them.

    Which stories they hold is kept as a fragment (pagecache.fragments) while the "home" tag stands: every
    change to what they hold gives it a new version (a placement, a story's status, date, section or "top
    story" mark), and a scheduled story's go-live ends it; the stories are then read by id.
    """

    read = {}

    def ids():
        read.update(top=list(home_top(live)), blocks=list(home_section_stories(live)))
        return [story.pk for story in read["top"]], [story.pk for story in read["blocks"]]

    top, blocks = remembered(request, "home-lists", ["home"], ids)
    if not read:
        stories = Article.objects.for_cards().in_bulk([*top, *blocks])
        read.update(
            top=[stories[pk] for pk in top if pk in stories], blocks=[stories[pk] for pk in blocks if pk in stories]
        )
    return read["top"], [(section, list(block)) for section, block in groupby(read["blocks"], key=lambda a: a.section)]


def section_top(live, section):
    """A section page's placed stories that are live, in their order; its list of newest stories follows."""
    here = Q(front_page__section=section)
    return (
        live.filter(section=section, pk__in=placed(here).values("article_id"))
        .annotate(slot=slot(here))
        .order_by("slot", "-publish_at", "-id")
        .for_cards()[:SECTION_SLOTS]
    )


def validate_link(value):
    """An address on this site (/path) or an http(s) address anywhere."""
    if not (value.startswith("/") and not value.startswith("//")):
        URLValidator(schemes=["http", "https"], message=_("Enter an address starting with https:// or /."))(value)


class BreakingNewsQuerySet(ShownOnPagesQuerySet):
    def current(self):
        """Banners not yet expired, the newest first: readers see the first."""
        return self.filter(expires_at__gt=timezone.now()).order_by("-created_at", "-id")


class BreakingNews(ShownOnPages, models.Model):
    """A banner across the top of every public page until its expiry time, or until an editor clears it."""

    text = models.CharField(_("text"), max_length=200, help_text=_("One line, e.g. “Earthquake hits the capital”."))
    link = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text=_("Optional: /a/story/ or https://…"),
    )
    expires_at = models.DateTimeField(_("shown until"), help_text=_("The banner disappears by itself at this time."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("breaking-news banner")
        verbose_name_plural = _("breaking-news banners")

    def __str__(self):
        return self.text

    def clean(self):
        if self._state.adding and self.expires_at and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("Choose a time in the future.")})

    @property
    def is_current(self):
        return self.expires_at > timezone.now()

    def clear(self):
        """Take the banner down now; stored pages go stale on commit."""
        self.expires_at = timezone.now()
        self.save()


def current_banner():
    """The banner readers see now, or None, read from the cache: a page that shows it costs no query.

    The entry is keyed by the page generation, which every banner change
    starts anew on commit: a reader who read the old banner before the commit
    stored it under the old generation, so nobody is served it afterwards.
    """
    try:
        key = f"breaking-news:{current_generation()}"
        found = cache.get(key)
    except Exception:  # The cache is down: pages render without it, and so does the banner.
        return BreakingNews.objects.current().first()
    if found is None or (found[0] is not None and not found[0].is_current):
        found = (BreakingNews.objects.current().first(),)
        with contextlib.suppress(Exception):  # The reader still gets the banner.
            cache.set(key, found, max(settings.PAGE_CACHE_SECONDS, 1))
    return found[0]


def seconds_until_banner_expires():
    """Seconds until the banner readers see goes by itself, or None: no stored page may outlive it."""
    banner = current_banner()
    if banner is None:
        return None
    return (banner.expires_at - timezone.now()).total_seconds()
