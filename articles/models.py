import datetime
from itertools import groupby

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pagecache.invalidation import ShownOnPages, ShownOnPagesQuerySet
from photos.models import Photo

from . import fts
from .checks import site_paths
from .sanitize import check_body, clean_html, paragraph_ends


class EditConflict(Exception):
    """Someone saved the story after this copy of it was loaded: saving it would overwrite their work."""


def validate_section_slug(value):
    """A section's address is /<slug>/: refuse the first parts of the site's own addresses (see checks.py)."""
    if value in site_paths():
        raise ValidationError(_("“%(slug)s” is used by the site itself; choose another slug.") % {"slug": value})


class Section(ShownOnPages, models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[validate_section_slug])
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Lower numbers come first."))

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Tag(ShownOnPages, models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])

    def changed_tags(self):
        """Its page and feeds, the stories that show it, and the sitemap that lists it."""
        return [f"tag:{self.pk}", "sitemaps"]

    @classmethod
    def named(cls, names):
        """The tags with these names, creating those that do not exist yet (matched by slug: "Space" is "space")."""
        tags = []
        for name in names:
            slug = slugify(name)[:80]
            tag = cls.objects.filter(Q(slug=slug) | Q(name__iexact=name)).first()
            tags.append(tag or cls.objects.create(name=name, slug=slug))
        return tags


class Author(ShownOnPages, models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        DESK = "desk", _("Desk")
        AGENCY = "agency", _("News agency")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("bio"), blank=True)
    twitter = models.CharField(
        _("X/Twitter account"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(
                r"^@[A-Za-z0-9_]{1,15}$", _("An account name like @newsdesk: @ and up to 15 letters, digits or _.")
            )
        ],
        help_text=_("For example @newsdesk. Named as the creator on social cards of this author's stories."),
    )
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portrait_for",
        help_text=_("A portrait in use cannot be deleted from the photo library."),
    )

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])

    def changed_tags(self):
        """Its page and feeds, the pages that show its bylines, and the sitemap that lists it."""
        return [f"author:{self.pk}", "sitemaps"]

    @property
    def is_person(self):
        return self.kind == self.Kind.PERSON


def check_body_of(instance):
    """Clean ``instance.body`` or say, as a form error on it, where its markup would lose words (sanitize.py)."""
    if instance.body:
        try:
            instance.body = instance._checked_body = check_body(instance.body)
        except ValidationError as error:
            raise ValidationError({"body": error.messages}) from error


def sanitize_body_of(instance):
    """Clean ``instance.body`` before it is stored, unless ``check_body_of`` just did."""
    if instance.body != getattr(instance, "_checked_body", None):
        instance.body = clean_html(instance.body)


# What every page of cards reads of its stories (ArticleQuerySet.for_cards), with the section.
CARD_KEY_COLUMNS = ("id", "slug", "headline", "publish_at", "section")
# Columns of a story, and of its lead photo, that no card shows (ArticleQuerySet.card_columns, for_listing).
CARD_UNSHOWN = ("body", "withdrawal_note", "social_headline", "meta_description", "canonical_url")
PHOTO_UNSHOWN = ("original", "focal_x", "focal_y", "uploaded_at")

# The statuses of a live story (see ArticleQuerySet.published); partial indexes hold only these rows.
LIVE_STATUSES = ["published", "scheduled"]
LIVE = Q(status__in=LIVE_STATUSES)


@models.CharField.register_lookup
class InLiterally(models.lookups.In):
    """``in`` with its values written into the SQL, for constants such as ``LIVE_STATUSES``.

    SQLite uses a partial index only when the query states the index's condition, and it cannot tell
    that bound parameters do: ``status IN (?, ?)`` sorts every live story to find the newest, where
    ``status IN ('published', 'scheduled')`` walks ``article_live_pub`` (0.5 ms against 12 ms at 100k).
    """

    lookup_name = "in_literally"

    def process_rhs(self, compiler, connection):
        if not all(isinstance(value, str) and value.isidentifier() for value in self.rhs):
            raise ValueError("in_literally takes only plain words, which need no quoting.")
        return "(" + ", ".join(f"'{value}'" for value in self.rhs) + ")", []


def ids_from_any(*parts):
    """SQL for the ids that any of these one-column querysets gives, for ``pk__in``: one UNION ALL.

    ``pk IN (a) OR pk IN (b)`` leaves PostgreSQL no index to use: it tests every
    live story against both (a sequential scan of the archive). One ``IN`` over
    the union is a semi-join: the few ids, then one primary-key probe each.
    Each part is a subquery in FROM, as SQLite wants the parts of a UNION. A part
    that can match nothing (``pk__in=[]``, as when there is no section) is left
    out; the first part must be able to match something.
    """
    sql, params = zip(*(compiled for compiled in map(_sql_unless_empty, parts) if compiled), strict=True)
    union = " UNION ALL ".join(f"SELECT * FROM ({query}) part{n}" for n, query in enumerate(sql))
    return RawSQL(union, tuple(param for group in params for param in group))


def _sql_unless_empty(queryset):
    """The queryset's (sql, params), or None if it can match nothing."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


def page_parts():
    """The prefetches of what a story page shows besides the story's row and its section."""
    return [
        Prefetch("bylines", queryset=Byline.objects.select_related("author", "author__photo")),
        "tags",
        "corrections",
        Prefetch("body_photos", queryset=BodyPhoto.objects.select_related("photo")),
        Prefetch(
            "also_read_links",
            queryset=AlsoRead.objects.select_related("target__section", "target__lead_photo").prefetch_related(
                Prefetch("target__bylines", queryset=Byline.objects.select_related("author")),
            ),
        ),
    ]


class ArticleQuerySet(ShownOnPagesQuerySet):
    def published(self):
        """Live stories: published, or scheduled with their time come."""
        return self.filter(status__in_literally=LIVE_STATUSES, publish_at__lte=timezone.now())

    def upcoming(self):
        return self.filter(status__in_literally=LIVE_STATUSES, publish_at__gt=timezone.now())

    def seconds_until_next_go_live(self):
        """Seconds until the next scheduled story goes live, or None when none is waiting: pages change then."""
        upcoming = self.upcoming().aggregate(first=Min("publish_at"))["first"]
        if upcoming is None:
            return None
        return (upcoming - timezone.now()).total_seconds()

    def latest_first(self):
        return self.order_by("-publish_at", "-id")

    def older_than(self, cursor):
        """Stories after ``cursor`` in latest-first order.

        The plain ``publish_at <= t`` lets the database seek in its index; the
        rest breaks ties between stories published at the same instant.
        """
        return (
            self.filter(publish_at__lte=cursor.publish_at)
            .exclude(publish_at=cursor.publish_at, id__gte=cursor.pk)
            .latest_first()
        )

    def newer_than(self, cursor):
        """Stories before ``cursor`` in latest-first order, nearest first."""
        return (
            self.filter(publish_at__gte=cursor.publish_at)
            .exclude(publish_at=cursor.publish_at, id__lte=cursor.pk)
            .order_by("publish_at", "id")
        )

    def card_columns(self):
        """Leave in the database the columns a story card never shows: the body above all, by far the
        largest, and what only the story's own page or the admin reads."""
        return self.defer(*CARD_UNSHOWN)

    def for_listing(self):
        """What a list of story cards needs, in a fixed number of queries.

        The lead photo's pictures are kept on its row (``Photo.picture``), so no renditions are read.
        """
        return (
            self.card_columns()
            .select_related("section", "lead_photo")
            .defer(*(f"lead_photo__{name}" for name in PHOTO_UNSHOWN))
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author").defer("author__bio"))
            )
        )

    def for_cards(self):
        """What a page of cards reads before it knows which cards it must render: the address, headline and
        date every listing shows (links, structured data, cursors) and what a card's key is made of. The cards
        not kept as fragments read the rest ``for_listing`` (articles.templatetags.cards)."""
        return self.select_related("section").only(*CARD_KEY_COLUMNS)

    def for_page_row(self):
        """The story's row for its page, with its section and photos; ``Article.load_page_parts`` reads the
        rest when the page's fragments must be rendered."""
        return self.select_related("section", "lead_photo", "social_image")

    def for_page(self):
        """Everything the story page shows, in a fixed number of queries."""
        return self.for_page_row().prefetch_related(*page_parts())

    def indexable(self):
        """Stories search engines may index: sitemaps list only these."""
        return self.filter(noindex=False)

    def search(self, text, order="relevance", depth=None):
        """These stories matching ``text``, best first or newest first (see search.py)."""
        from . import search

        return search.matching(self, text, order, depth)

    def most_read(self):
        """Live stories by their reads in the last ``MOST_READ_HOURS``, from the flushed counts."""
        since = timezone.now() - datetime.timedelta(hours=settings.MOST_READ_HOURS)
        return (
            self.published()
            .filter(read_counts__hour__gte=since)
            .annotate(reads=Sum("read_counts__reads"))
            .order_by("-reads", "-publish_at", "-id")
            .for_cards()
        )

    def months(self):
        """[(first day of a month, number of these stories)] for each month with stories, newest first.

        One grouped query; months are counted in the site's time zone, like the date archives.
        """
        return list(
            self.annotate(month=TruncMonth("publish_at", output_field=models.DateField()))
            .order_by()
            .values_list("month")
            .annotate(stories=Count("pk"))
            .order_by("-month")
        )

    def top_per_section(self, per_section, first=None, among=None):
        """The latest ``per_section`` stories of every section, in two queries whatever the archive's size.

        The first query finds each section's ``per_section``-th newest story
        (one index probe per section), so that the ranking in the second only
        sees a handful of stories instead of the whole archive. The stories
        whose ids ``among`` (a subquery) gives, however old, come first, in
        the order of ``first`` (an expression: their slot on their section's
        front page); the database looks them up by id, not story by story.
        """
        nth_newest = self.filter(section=OuterRef("pk")).latest_first().values("publish_at")
        cutoffs = Section.objects.annotate(cutoff=Subquery(nth_newest[per_section - 1 : per_section]))
        recent, stories, order = Q(pk__in=[]), self, [F("publish_at").desc(), F("id").desc()]
        for section_id, cutoff in cutoffs.values_list("pk", "cutoff"):
            recent |= Q(section_id=section_id, publish_at__gte=cutoff) if cutoff else Q(section_id=section_id)
        if first is not None:
            # OR-ing ``pk IN among`` into the ranges would cost a scan of the archive (see ids_from_any).
            recent = Q(pk__in=ids_from_any(among, self.filter(recent).order_by().values("pk")))
            stories = self.annotate(first=first)
            order.insert(0, F("first").asc(nulls_last=True))
        return (
            stories.filter(recent)
            .annotate(rank=Window(RowNumber(), partition_by=[F("section_id")], order_by=order))
            .filter(rank__lte=per_section)
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        """Leaves the search vector (larger than the text itself) in the database: only SQL reads it."""
        return super().get_queryset().defer("search_vector")


class Article(ShownOnPages, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Part of the story's address. Changing it after publishing redirects the old address."),
    )
    standfirst = models.TextField(
        _("standfirst"), max_length=600, blank=True, help_text=_("One or two sentences shown under the headline.")
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "HTML: paragraphs, sub-heads, links, emphasis, lists, quotes and figures. Anything else is removed on save."
        ),
    )
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, verbose_name=_("authors"), through="Byline", related_name="articles")
    lead_photo = models.ForeignKey(
        Photo, verbose_name=_("lead photo"), null=True, blank=True, on_delete=models.PROTECT, related_name="lead_for"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField(
        _("top story"), default=False, help_text=_("Show among the top stories on the home page.")
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("When the story goes live. A scheduled story appears by itself at this time."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    updated_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the story's text changes after it went live; shown as “Updated”."),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    withdrawal_note = models.TextField(
        _("editor's note on withdrawal"),
        blank=True,
        help_text=_("Shown to readers in place of a withdrawn story, e.g. why it was removed. Optional."),
    )
    # Optimistic locking: each save of a loaded story writes ``version + 1`` only
    # where the row still has the version that was loaded (see ``_do_update``).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="created_stories",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_stories",
        verbose_name=_("assigned to"),
        help_text=_("The person working on the story now; it shows on their desk."),
    )
    live_coverage = models.BooleanField(
        _("live coverage"),
        default=False,
        help_text=_("A live story: timestamped updates, newest first, with a “Live” label until an editor ends it."),
    )
    live_ended_at = models.DateTimeField(
        _("live coverage ended"), null=True, blank=True, editable=False, help_text=_("Set by “End live coverage”.")
    )
    # Search and social overrides: each, when set, replaces what the story's head would say by default.
    social_headline = models.CharField(
        _("title for social sites"),
        max_length=200,
        blank=True,
        help_text=_("Shown on social sites and in link previews instead of the story's own."),
    )
    social_image = models.ForeignKey(
        Photo,
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="social_for",
        help_text=_("Image for social sites and link previews, if not the lead photo."),
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=300,
        blank=True,
        help_text=_("What search engines show under the headline, if not the standfirst."),
    )
    canonical_url = models.URLField(
        _("canonical URL"),
        max_length=500,
        blank=True,
        help_text=_("For a syndicated story: the address of the original, which search engines should index instead."),
    )
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_("Ask search engines not to index the story (robots noindex) and leave it out of the sitemaps."),
    )
    # Weighted headline (A), standfirst (B) and body (C), kept up to date by a
    # database trigger on PostgreSQL so that every write path (save, bulk,
    # raw SQL) refreshes it; unused elsewhere.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = ArticleManager()

    # Changes to these after publishing are what readers see as an update.
    EDITORIAL_FIELDS = ("headline", "standfirst", "body", "lead_photo_id")
    # Changes to these move the story into, out of or within lists of stories.
    LISTED_FIELDS = ("status", "publish_at", "section_id", "featured")
    # What the story's card shows (its address included) wherever it appears: lists, related stories,
    # "Also read" links, feeds. A change to nothing but other fields (the body, the SEO fields) shows on
    # the story's own page and in what gives its updated time, not on the hundreds of pages with its card.
    CARD_FIELDS = (
        *LISTED_FIELDS,
        *("headline", "standfirst", "slug", "lead_photo_id", "live_coverage", "live_ended_at"),
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_status_pub"),
            # Section pages seek by (publish_at, id) inside the section's live stories.
            models.Index(fields=["section", "-publish_at", "-id"], name="article_live_section_pub", condition=LIVE),
            # The live stories newest first: lets feeds, sitemaps and search by date
            # stop after a page instead of sorting every live story.
            models.Index(
                fields=["-publish_at", "-id"],
                condition=LIVE,
                name="article_live_pub",
            ),
            # A live story's date by its id, from the index alone: a search by an author (or a tag) walks
            # their stories newest first; from the table SQLite would read past each body to the date.
            models.Index(fields=["id", "status", "publish_at"], condition=LIVE, name="article_live_id_pub"),
            GinIndex(fields=["search_vector"], name="article_search_gin"),
        ]
        permissions = [("publish_article", "Can publish, schedule and withdraw stories")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        """Store the story and a revision of it; refuse with EditConflict if it changed since it was loaded."""
        if self._state.adding or kwargs.get("force_insert"):
            self._saving_version = None
        else:
            self._saving_version, self.version = self.version, self.version + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        try:
            if reversion.is_active():
                self._save(*args, **kwargs)
            else:
                with reversion.create_revision():
                    reversion.set_comment(getattr(self, "_revision_comment", ""))
                    self._save(*args, **kwargs)
        except BaseException:
            if self._saving_version is not None:
                self.version = self._saving_version
            raise
        finally:
            self._saving_version = None

    def get_absolute_url(self):
        if self.publish_at:
            return self._story_url(self.section.slug, self.publish_at, self.slug)
        return self.get_short_url()

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        """The UPDATE of a save matches the row only at the version this copy was loaded with."""
        expected = getattr(self, "_saving_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        if super()._do_update(base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update):
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise EditConflict(self.pk)
        return False

    def _save(self, *args, **kwargs):
        if self.body != getattr(self, "_checked_body", None):
            self.body = clean_html(self.body)
        sanitize_body_of(self)
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        if self.status == self.Status.PUBLISHED and not self.publish_at:
            self.publish_at = timezone.now()
        old_url = self._loaded_live_url()
        if old_url and self.is_live and self._editorial_change():
            self.updated_at = timezone.now()
        if self._state.adding:
            self._listed = dict.fromkeys(self.LISTED_FIELDS)  # in no list yet (see changed_tags)
        super().save(*args, **kwargs)
        self._listed = self._listing_state()
        if old_url and old_url != self.get_absolute_url():
            SlugRedirect.objects.update_or_create(old_path=old_url, defaults={"article": self})
        if any(self._loaded_value(name) != getattr(self, name) for name in ("status", "publish_at")):
            from .tasks import schedule_go_live

            schedule_go_live(self)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        instance._listed = {name: instance._loaded.get(name) for name in cls.LISTED_FIELDS}
        return instance

    def clean(self):
        check_body_of(self)
        if self.status == self.Status.SCHEDULED and not self.publish_at:
            raise ValidationError({"publish_at": _("A scheduled story needs a publication time.")})
        if (
            self.status == self.Status.SCHEDULED
            and self.publish_at
            and self.publish_at <= timezone.now()
            and self._loaded_value("status") != self.Status.SCHEDULED
        ):
            raise ValidationError({"publish_at": _("To schedule a story, choose a time in the future.")})

    def _loaded_value(self, name):
        return getattr(self, "_loaded", {}).get(name)

    def _editorial_change(self):
        loaded = getattr(self, "_loaded", {})
        return any(name in loaded and loaded[name] != getattr(self, name) for name in self.EDITORIAL_FIELDS)

    def _loaded_live_url(self):
        """The address the story had when loaded, if it was live then."""
        loaded = getattr(self, "_loaded", None)
        if not loaded or not loaded.get("publish_at"):
            return None
        if loaded["status"] not in (self.Status.PUBLISHED, self.Status.SCHEDULED):
            return None
        if loaded["publish_at"] > timezone.now():
            return None
        try:
            section_slug = Section.objects.values_list("slug", flat=True).get(pk=loaded["section_id"])
        except Section.DoesNotExist:
            return None
        return self._story_url(section_slug, loaded["publish_at"], loaded["slug"])

    @staticmethod
    def _story_url(section_slug, publish_at, slug):
        day = timezone.localtime(publish_at)
        return reverse(
            "articles:story",
            kwargs={
                "section": section_slug,
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": slug,
            },
        )

    def shown_tags(self):
        """The tags of a page that shows this story's card: the story, its bylines' authors, its lead photo."""
        tags = [f"story:{self.pk}", *(f"author:{byline.author_id}" for byline in self.ordered_bylines)]
        if self.lead_photo_id:
            tags.append(f"photo:{self.lead_photo_id}")
        return tags

    def load_page_parts(self):
        """Read what the story page shows besides this row (``page_parts``), as ``for_page`` would have: for a
        row read without them, whose page must render more than its kept fragments."""
        prefetch_related_objects([self], *page_parts())

    def page_tags(self):
        """The tags of the story's own page: what it shows, and the lists its related stories come from."""
        return [*self.story_tags(), f"comments:{self.pk}"]

    def story_tags(self):
        """``page_tags`` but the comments': what the story page shows above and beside its comment section."""
        tags = [*self.shown_tags(), f"story-page:{self.pk}", f"section:{self.section_id}"]
        tags += [f"tag:{tag.pk}" for tag in self.tags.all()]
        tags += [f"photo:{item.photo_id}" for item in self.body_photos.all()]
        for link in self.also_read_links.all():
            tags += link.target.shown_tags()
        return tags + self.live_feed_tags(self.live_feed) if self.live_coverage else tags

    def live_feed_tags(self, updates):
        """The tags of a page showing these live updates of the story: the updates, their authors and photos."""
        tags = [f"live:{self.pk}", *(f"author:{update.author_id}" for update in updates if update.author_id)]
        return tags + [f"photo:{update.photo_id}" for update in updates if update.photo_id]

    def changed_tags(self):
        """The pages a change to this story affects: none while it was and is a draft; else its own, those
        showing its card, the sitemaps, and, when it moves in or out of lists, the lists it was or is in."""
        before = getattr(self, "_listed", None)  # as loaded or last saved; None when not known
        if before is not None and not self._in_lists(before["status"]) and not self._in_lists(self.status):
            return []
        if self._card_change():
            tags = [f"story:{self.pk}", "sitemaps"]
        else:  # Its updated time shows in the feeds and the sitemaps.
            tags = [f"story-page:{self.pk}", "sitemaps", "feeds"]
        if before != self._listing_state():
            tags += ["home", "feeds", "archive", f"section:{self.section_id}"]
            if before and before["section_id"]:
                tags.append(f"section:{before['section_id']}")
            tags += [f"tag:{pk}" for pk in self.tags.values_list("pk", flat=True)]
            tags += [f"author:{pk}" for pk in self.bylines.values_list("author_id", flat=True)]
        return tags

    def urgent_change(self):
        """Taken down (withdrawn, back to draft, moved ahead), or its lead photo taken off: no copy from before
        may be served again (see pagecache.invalidation)."""
        before = getattr(self, "_listed", None) or {}
        published = before.get("publish_at")
        was_live = before.get("status") in LIVE_STATUSES and published is not None and published <= timezone.now()
        lead_photo = getattr(self, "_loaded", {}).get("lead_photo_id")
        return (was_live and not self.is_live) or lead_photo not in (None, self.lead_photo_id)

    def deleted_tags(self):
        """Every list it is in, as for a bulk delete: its card goes from them all."""
        return self.bulk_changed_tags(Article.objects.filter(pk=self.pk))

    @staticmethod
    def bulk_update_is_urgent(fields):
        """An update that may take stories down or their lead photos off (see ``urgent_change``)."""
        return bool({"status", "publish_at", "lead_photo", "lead_photo_id"} & set(fields))

    @classmethod
    def bulk_changed_tags(cls, stories):
        """For bulk updates and deletes, which do not say what they change: every list the stories are in."""
        rows = list(stories.values_list("pk", "section_id"))
        pks = [pk for pk, _ in rows]
        if not pks:
            return set()
        tags = {"home", "feeds", "archive", "sitemaps"}
        tags |= {f"story:{pk}" for pk, _ in rows} | {f"section:{section}" for _, section in rows}
        tagged = cls.tags.through.objects.filter(article_id__in=pks).values_list("tag_id", flat=True)
        tags |= {f"tag:{pk}" for pk in tagged}
        tags |= {f"author:{pk}" for pk in Byline.objects.filter(article_id__in=pks).values_list("author_id", flat=True)}
        return tags

    def _card_change(self):
        """Whether this save may have changed the story's card (yes, when it is not known what it was)."""
        loaded = getattr(self, "_loaded", None)
        if not loaded:
            return True
        return any(name not in loaded or loaded[name] != getattr(self, name) for name in self.CARD_FIELDS)

    def _listing_state(self):
        return {name: getattr(self, name) for name in self.LISTED_FIELDS}

    @classmethod
    def _in_lists(cls, status):
        """Live now, or due to be live by itself (pages are kept no longer than its go-live time)."""
        return status in (cls.Status.PUBLISHED, cls.Status.SCHEDULED)

    def get_short_url(self):
        """The address that works forever, whatever happens to section, date or slug."""
        return reverse("articles:story_by_id", kwargs={"pk": self.pk, "slug": self.slug})

    def publish(self):
        """Put the story live now; one published earlier keeps its date. Stored pages go stale on commit."""
        now = timezone.now()
        self.status = self.Status.PUBLISHED
        if not self.publish_at or self.publish_at > now:
            self.publish_at = now
        self._save_as(gettext("Published"))

    def schedule(self, publish_at=None):
        """Let the story go live by itself at ``publish_at`` (or the time it has), which must be ahead."""
        publish_at = publish_at or self.publish_at
        if not publish_at or publish_at <= timezone.now():
            raise ValidationError({"publish_at": _("To schedule a story, choose a time in the future.")})
        self.status, self.publish_at = self.Status.SCHEDULED, publish_at
        self._save_as(gettext("Scheduled"))

    @property
    def is_out(self):
        """Past the newsroom's hands: scheduled, published or withdrawn."""
        return self.status not in (self.Status.DRAFT, self.Status.IN_REVIEW)

    @property
    def is_live(self):
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def withdraw(self):
        """Take the story down: its address answers 410 Gone, and feeds, sitemaps and lists drop it."""
        self.status = self.Status.WITHDRAWN
        self._save_as(gettext("Withdrawn"))

    def send_back(self, note, by):
        """Return the story to its reporter as a draft, with the editor's note on what to change."""
        self.status = self.Status.DRAFT
        self.assigned_to_id = self.created_by_id or self.assigned_to_id
        self._save_as(gettext("Sent back to the reporter"))
        return self.notes.create(author=by, text=note, kind=EditorialNote.Kind.SENT_BACK)

    def _save_as(self, comment):
        """Save as one operation, its revision saying what it was (the admin's revision, when inside one)."""
        self._revision_comment = comment
        if reversion.is_active() and not reversion.is_manage_manually():
            reversion.set_comment(comment)
        try:
            self.save()
        finally:
            del self._revision_comment

    @cached_property
    def live_feed(self):
        """The story's live updates, newest first; none (and no query) for a story that is not live coverage."""
        if not self.live_coverage:
            return []
        return list(self.live_updates.for_page())

    @property
    def live_running(self):
        """Live coverage that no editor has ended: the story and its cards carry the “Live” label."""
        return self.live_coverage and self.live_ended_at is None

    def end_live_coverage(self):
        """End the live coverage: the label goes, updates stay, no new ones can be posted."""
        self.live_ended_at = timezone.now().replace(microsecond=0)
        self.save()

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    @property
    def was_updated(self):
        return bool(self.updated_at and self.publish_at and self.updated_at > self.publish_at)

    @cached_property
    def ordered_bylines(self):
        return list(self.bylines.all())

    @property
    def byline_authors(self):
        return [byline.author for byline in self.ordered_bylines]

    def body_blocks(self):
        """The body as a list of ("html", text), ("also_read", link), ("photo", photo) and ("gallery", photos).

        Each "Also read" link and each photo sits after the paragraph its
        editor chose; several photos after one paragraph form a gallery. A
        number past the last paragraph (the form refuses one, older rows may
        have it) puts the block at the end of the body.
        """
        inserts = [(link.after_paragraph, 1, link.order, "also_read", link) for link in self.also_read_links.all()]
        inserts = [insert for insert in inserts if insert[4].target.is_live]
        photos = sorted(self.body_photos.all(), key=lambda item: (item.after_paragraph, item.order, item.pk))
        for after, group in groupby(photos, key=lambda item: item.after_paragraph):
            group = [item.photo for item in group]
            inserts.append((after, 0, 0, "photo", group[0]) if len(group) == 1 else (after, 0, 0, "gallery", group))
        ends = paragraph_ends(self.body)
        blocks, start = [], 0
        for after, _rank, _order, kind, block in sorted(inserts, key=lambda insert: insert[:3]):
            cut = ends[min(after, len(ends)) - 1] if ends else len(self.body)
            if cut > start:
                blocks.append(("html", self.body[start:cut]))
                start = cut
            blocks.append((kind, block))
        if start < len(self.body):
            blocks.append(("html", self.body[start:]))
        return blocks

    def related(self, limit=4, pool=50):
        """Editor's picks first, then recent live stories sharing a tag, then the section's, newest first.

        The automatic ones come from the ``pool`` newest live stories sharing a
        tag or the section: the newest ``pool`` of the section's and the newest
        ``pool`` sharing a tag, each a walk down the publication-date index that
        stops, so the cost does not grow with the archive. (As one walk testing
        "in the section or sharing a tag", PostgreSQL hashed every story of the
        tags first: 207,000 links, 235 ms, for two popular tags at 1M stories.)
        """
        found = [link.target for link in self.also_read_links.all() if link.target.is_live][:limit]
        wanted = limit - len(found)
        if wanted <= 0:
            return found
        order, more = ["-publish_at", "-id"], Article.objects.all()
        live = Article.objects.published().exclude(pk__in=[self.pk, *(story.pk for story in found)])
        parts = [live.filter(section_id=self.section_id).latest_first().values("pk")[:pool]]
        tag_ids = [tag.pk for tag in self.tags.all()]
        if tag_ids:
            shares_tag = Exists(Article.tags.through.objects.filter(article_id=OuterRef("pk"), tag_id__in=tag_ids))
            parts.append(live.filter(shares_tag).latest_first().values("pk")[:pool])
            more = more.annotate(shares_tag=shares_tag)
            order.insert(0, "-shares_tag")
        recent = live.filter(pk__in=ids_from_any(*parts)).latest_first().values("pk")[:pool]
        return found + list(more.filter(pk__in=recent).order_by(*order).for_listing()[:wanted])


class SearchEntry(models.Model):
    """A story's row in SQLite's full-text index (fts.py): written only by its triggers, read only by search."""

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    headline = models.TextField()
    text = models.TextField()
    document = fts.Document(db_column=fts.TABLE)

    class Meta:
        managed = False
        db_table = fts.TABLE

    def __str__(self):
        return self.headline


class ReadCount(models.Model):
    """How often a story was read in one hour, flushed from the cache counters by ``flush_most_read``.

    Views are counted in the cache (no database write per page view, no
    cookie, nothing about the reader); one row per story and hour holds the
    total once flushed.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="read_counts"
    )
    hour = models.DateTimeField(_("hour"))
    reads = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        verbose_name = _("read count")
        verbose_name_plural = _("read counts")
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="unique_read_count")]
        indexes = [models.Index(fields=["hour"], name="read_count_hour")]

    def __str__(self):
        return f"{self.reads} reads of {self.article_id} at {self.hour:%Y-%m-%d %H:00}"


class Byline(ShownOnPages, models.Model):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self):
        return self.author.name

    def changed_tags(self):
        return [f"story:{self.article_id}", f"author:{self.author_id}"]


class AlsoRead(ShownOnPages, models.Model):
    """An "Also read: <headline>" link an editor placed inside a story's body."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="also_read_links"
    )
    target = models.ForeignKey(Article, verbose_name=_("target"), on_delete=models.CASCADE, related_name="linked_from")
    after_paragraph = models.PositiveSmallIntegerField(
        _("after paragraph"), default=1, help_text=_("Shown after this paragraph of the body (1 = after the first).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        ordering = ["after_paragraph", "order", "id"]
        verbose_name = _("“Also read” link")
        constraints = [models.UniqueConstraint(fields=["article", "target"], name="unique_also_read")]

    def __str__(self):
        return _("Also read: %(headline)s") % {"headline": self.target}

    def changed_tags(self):
        return [f"story:{self.article_id}"]

    def clean(self):
        if self.article_id and self.target_id == self.article_id:
            raise ValidationError({"target": _("A story cannot link to itself.")})


class BodyPhoto(ShownOnPages, models.Model):
    """A photo from the library shown inside a story's body; photos after the same paragraph form a gallery.

    Its ``in_bodies`` relation is how the photo library counts the photo as in use, and why it cannot be
    deleted while a story shows it.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="body_photos"
    )
    photo = models.ForeignKey(Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="in_bodies")
    after_paragraph = models.PositiveSmallIntegerField(
        _("after paragraph"),
        default=1,
        help_text=_("Shown after this paragraph of the body. Several photos after one paragraph: a gallery."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("The photo's place in its gallery."))

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        ordering = ["after_paragraph", "order", "id"]
        verbose_name = _("photo in the body")
        verbose_name_plural = _("photos and galleries in the body")
        constraints = [models.UniqueConstraint(fields=["article", "photo"], name="unique_body_photo")]

    def __str__(self):
        return _("Photo after paragraph %(number)d") % {"number": self.after_paragraph}

    def changed_tags(self):
        return [f"story:{self.article_id}"]


class Correction(ShownOnPages, models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "id"]

    def __str__(self):
        return _("%(kind)s of %(date)s") % {"kind": self.get_kind_display(), "date": date_format(self.created_at)}

    def changed_tags(self):
        return [f"story:{self.article_id}"]


class SlugRedirect(ShownOnPages, models.Model):
    """An address a live story used to have, kept so that old links never break."""

    old_path = models.CharField(_("old path"), max_length=400, unique=True)
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="old_paths")

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    def changed_tags(self):
        """No stored page shows it: an old address answers a redirect, which is never stored."""
        return []


class EditorialNoteQuerySet(models.QuerySet):
    def sent_back_to(self, user):
        """The newest "sent back" note of each draft now assigned to ``user``."""
        newer = EditorialNote.objects.filter(
            article=OuterRef("article"), kind=EditorialNote.Kind.SENT_BACK, pk__gt=OuterRef("pk")
        )
        return (
            self.filter(
                kind=EditorialNote.Kind.SENT_BACK, article__assigned_to=user, article__status=Article.Status.DRAFT
            )
            .exclude(Exists(newer))
            .select_related("article", "author")
            .order_by("-created_at", "-id")
        )


class EditorialNote(models.Model):
    """A note between the people working on a story: internal, never shown to readers or in any feed or export."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        SENT_BACK = "sent_back", _("Sent back to the reporter")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = EditorialNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("editorial note")
        verbose_name_plural = _("editorial notes (internal)")

    def __str__(self):
        return gettext("%(kind)s by %(author)s") % {"kind": self.get_kind_display(), "author": self.author or "—"}


# Front-page curation and live coverage keep their models beside their behaviour.
from .curation import BreakingNews, FrontPage, Placement  # noqa: E402, F401
from .live import LiveUpdate  # noqa: E402, F401
