import datetime
import re
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, Window
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.db.models.functions import Concat, Left, RowNumber
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from . import imaging
from .sanitize import clean_html, paragraph_ends

# The text-search configuration of the stored search vector. The trigger that
# fills it (migration 0003) names the same one: change both together.
SEARCH_CONFIG = "english"
# What PostgreSQL puts around matched words in search snippets: characters no
# story contains, swapped for <mark> only after the text has been escaped.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# Search snippets come from the standfirst and the opening of the body, where a news
# story says what it is about (with no match there, the snippet is the standfirst):
# ts_headline parses all the text it is given, and whole bodies made it the largest
# cost of a page of results.
SNIPPET_SOURCE_CHARS = 1000
# How many of the newest stories a search tests one by one for each match it needs
# (ArticleQuerySet.newest_matches): any word in one story in 50 or more is found by
# this walk alone.
SEARCH_WALK_PER_MATCH = 50


def search_words(text):
    """The plain words of a search, for the fallback that has no query parser."""
    return re.findall(r"\w+", text)


# First path segments that belong to the site itself, never to a section.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "archive",
        "author",
        "comments",
        "comments-faq",
        "feeds",
        "media",
        "robots.txt",
        "search",
        "sitemap.xml",
        "static",
        "story",
        "tag",
    }
)


def validate_section_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is used by the site itself; choose another slug.")


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_section_slug])
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])


def private_storage():
    return storages["private"]


def validate_photo_file(value):
    """Checks new uploads only: stored files were checked when they came in."""
    if not getattr(value, "_committed", False):
        imaging.validate_upload(value)


class PhotoFormField(forms.FileField):
    """Leaves every check to the photo rules, so that each refusal says what is wrong."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": imaging.ACCEPT}


class PhotoImageField(models.ImageField):
    """An image field that reads nothing from the file by itself: Photo.save sets width and height
    from the checked image, so that a decompression bomb never gets opened before validation."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})


def delete_file_on_commit(storage, name):
    """Files go only once the database change that orphaned them is final."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class PhotoQuerySet(models.QuerySet):
    def with_usage(self):
        return self.annotate(
            story_count=Count("lead_for", distinct=True), portrait_count=Count("portrait_for", distinct=True)
        )

    def in_use(self):
        return self.filter(
            Exists(Article.objects.filter(lead_photo=OuterRef("pk")))
            | Exists(Author.objects.filter(photo=OuterRef("pk")))
        )


class Photo(models.Model):
    image = PhotoImageField(
        upload_to="photos/%Y/%m/",
        validators=[validate_photo_file],
        help_text="JPEG, PNG, WebP or GIF. Readers get a copy without camera or location data; "
        "the original is kept privately.",
    )
    original = models.FileField(
        storage=private_storage, upload_to="originals/%Y/%m/", max_length=255, blank=True, editable=False
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right. Cropped versions keep this point in view.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=120, blank=True, help_text="E.g. “REUTERS” or “Jane Doe/AFP”.")
    alt_text = models.CharField(
        max_length=300,
        help_text="What the photo shows, for readers who cannot see it.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.caption[:80] or self.alt_text[:80]

    def save(self, *args, **kwargs):
        """A new upload is kept privately as it came, served upright and stripped, and rendered."""
        upload = self.image if self.image and not self.image._committed else None
        clean = self._store_upload(upload) if upload else None
        loaded = getattr(self, "_loaded", {})
        focal_moved = any(name in loaded and loaded[name] != getattr(self, name) for name in ("focal_x", "focal_y"))
        super().save(*args, **kwargs)
        if clean is not None:
            self.build_renditions(source=clean, force=True)
            delete_file_on_commit(self.image.storage, loaded.get("image"))
            delete_file_on_commit(self.original.storage, loaded.get("original"))
        elif focal_moved:
            self.build_renditions(kinds=Rendition.CROPPED, force=True)
        self._loaded = self._snapshot()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = instance._snapshot()
        return instance

    def _snapshot(self):
        """The values save() compares with to see what changed; deferred fields stay unloaded."""
        deferred = self.get_deferred_fields()
        values = {
            name: getattr(self, name) for name in ("image", "original", "focal_x", "focal_y") if name not in deferred
        }
        return {name: getattr(value, "name", value) for name, value in values.items()}

    def _store_upload(self, upload):
        image, served_format = imaging.open_clean(upload)
        name = PurePosixPath(upload.name).name
        upload.seek(0)
        self.original.save(name, upload.file, save=False)
        extension = imaging.EXTENSIONS[served_format]
        self.image.save(
            f"{PurePosixPath(name).stem}.{extension}", ContentFile(imaging.encode(image, served_format)), save=False
        )
        self.width, self.height = image.size
        return image

    def open_source(self):
        """The clean image renditions are made from: the original when kept, else the served copy."""
        file = self.original or self.image
        with file.open("rb"):
            image, _ = imaging.open_clean(file)
        return image

    def build_renditions(self, kinds=None, force=False, source=None, check_files=False):
        """Make the renditions that are missing (all of them with ``force``); returns how many were made.

        Runs on upload and from the build_renditions command, never during a page view.
        """
        kinds = kinds or list(Rendition.Kind)
        existing = {(r.kind, r.format, r.width): r for r in self.renditions.filter(kind__in=kinds)}
        if self.width is None:
            source = self.open_source() if source is None else source
            self.width, self.height = source.size
            Photo.objects.filter(pk=self.pk).update(width=self.width, height=self.height)
        wanted, made = set(), 0
        for kind in kinds:
            box = imaging.crop_box((self.width, self.height), Rendition.RATIOS[kind], (self.focal_x, self.focal_y))
            needed = []
            for size in imaging.rendition_sizes(box, settings.PHOTO_RENDITION_WIDTHS):
                for fmt in Rendition.Format:
                    wanted.add((kind, fmt, size[0]))
                    current = existing.get((kind, fmt, size[0]))
                    if force or current is None or (check_files and not current.file_exists()):
                        needed.append((size, current or Rendition(photo=self, kind=kind, format=fmt)))
            if not needed:
                continue
            source = self.open_source() if source is None else source
            scaled = dict(imaging.scale(source, box, {size for size, _ in needed}))
            for size, rendition in needed:
                self._save_rendition(rendition, scaled[size])
                made += 1
        Rendition.objects.filter(pk__in=[r.pk for key, r in existing.items() if key not in wanted]).delete()
        return made

    def _save_rendition(self, rendition, image):
        content = imaging.encode(image, rendition.format, imaging.RENDITION_QUALITY[rendition.format])
        old_name = rendition.file.name
        rendition.width, rendition.height = image.size
        name = f"photos/renditions/{self.pk}/{rendition.kind}-{rendition.width}-{imaging.digest(content)}"
        rendition.file.save(f"{name}.{imaging.EXTENSIONS[rendition.format]}", ContentFile(content), save=False)
        rendition.save()
        if old_name != rendition.file.name:
            delete_file_on_commit(rendition.file.storage, old_name)

    def renditions_of(self, kind):
        """{format: renditions narrowest first} of one kind; no query when the renditions are prefetched."""
        found = {}
        for rendition in sorted(self.renditions.all(), key=lambda r: r.width):
            if rendition.kind == kind:
                found.setdefault(rendition.format, []).append(rendition)
        return found

    def usage(self):
        """The stories and authors showing this photo: while there are any, it cannot be deleted."""
        return list(self.lead_for.order_by("-publish_at", "-id")), list(self.portrait_for.all())


class Rendition(models.Model):
    """One resized (and for some kinds cropped) copy of a photo, made once and then only served."""

    class Kind(models.TextChoices):
        FULL = "full", "Whole photo"
        CARD = "card", "16:9 crop"
        SQUARE = "square", "1:1 crop"

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    RATIOS = {Kind.FULL: None, Kind.CARD: 16 / 9, Kind.SQUARE: 1.0}
    CROPPED = [Kind.CARD, Kind.SQUARE]

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)

    class Meta:
        ordering = ["kind", "format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "kind", "format", "width"], name="rendition_unique_size")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.width} px, {self.get_format_display()}"

    def file_exists(self):
        return bool(self.file.name) and self.file.storage.exists(self.file.name)


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance, **kwargs):
    delete_file_on_commit(instance.image.storage, instance.image.name)
    delete_file_on_commit(instance.original.storage, instance.original.name)


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender, instance, **kwargs):
    delete_file_on_commit(instance.file.storage, instance.file.name)


class Author(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DESK = "desk", "Desk"
        AGENCY = "agency", "News agency"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portrait_for",
        help_text="A portrait in use cannot be deleted from the photo library.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", args=[self.slug])

    @property
    def is_person(self):
        return self.kind == self.Kind.PERSON


# The statuses of a live story (see ArticleQuerySet.published); partial indexes hold only these rows.
LIVE = Q(status__in=["published", "scheduled"])


def card_renditions(photo):
    """Prefetch only the renditions a story card shows (the 16:9 crop) of the photo at ``photo``."""
    return Prefetch(f"{photo}__renditions", queryset=Rendition.objects.filter(kind=Rendition.Kind.CARD))


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Live stories: published, or scheduled with their time come."""
        return self.filter(LIVE, publish_at__lte=timezone.now())

    def drafts(self):
        return self.filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW])

    def upcoming(self):
        return self.filter(LIVE, publish_at__gt=timezone.now())

    def withdrawn(self):
        return self.filter(status=Article.Status.WITHDRAWN)

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

    def for_listing(self):
        """What a list of story cards needs, in a fixed number of queries.

        Cards show the 16:9 crop only: loading the other renditions too would
        triple the objects a page of cards builds.
        """
        return self.select_related("section", "lead_photo").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            card_renditions("lead_photo"),
        )

    def for_page(self):
        """Everything the story page shows, in a fixed number of queries."""
        return self.select_related("section", "lead_photo").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author", "author__photo")),
            "lead_photo__renditions",
            "tags",
            "corrections",
            Prefetch(
                "also_read_links",
                queryset=AlsoRead.objects.select_related("target__section", "target__lead_photo").prefetch_related(
                    Prefetch("target__bylines", queryset=Byline.objects.select_related("author")),
                    card_renditions("target__lead_photo"),
                ),
            ),
        )

    def search(self, text, order="relevance", depth=None):
        """Stories matching ``text``: ranked full-text search on PostgreSQL, a plain fallback elsewhere.

        On PostgreSQL "relevance" ranks the newest ``SEARCH_RANK_WINDOW``
        matches; "date" lists them all newest first, or, given ``depth``, only
        the newest ``depth`` (as far as the pages to be shown reach). Both find
        their newest matches with ``newest_matches``, so that a common word or
        phrase costs no more in a large archive than in a small one.
        """
        if connections[self.db].vendor != "postgresql":
            words = search_words(text)
            matches = self if words else self.none()
            for word in words:
                matches = matches.filter(
                    Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
                )
            return matches.latest_first()
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        if order == "date":
            if depth is None:
                found = self.filter(search_vector=query).latest_first()
            else:
                found = self.model.objects.filter(pk__in=self.newest_matches(query, depth)).latest_first()
        else:
            found = (
                self.model.objects.filter(pk__in=self.newest_matches(query, settings.SEARCH_RANK_WINDOW))
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-publish_at", "-id")
            )
        # Highlights (see ``highlights``) replace the body on the results page: it stays in the database.
        return found.defer("body")

    def highlights(self, text):
        """{pk: (headline, snippet)} of these stories, the words of ``text`` between the markers (PostgreSQL).

        Asked for one page of results only: PostgreSQL would otherwise work out
        the snippets of every row an OFFSET skips too. The snippet comes from the
        standfirst and the opening of the body (``SNIPPET_SOURCE_CHARS``).
        """
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        marked = {"config": SEARCH_CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
        rows = self.values_list(
            "pk",
            SearchHeadline("headline", query, highlight_all=True, **marked),
            SearchHeadline(
                Concat("standfirst", Value(" "), Left("body", SNIPPET_SOURCE_CHARS)),
                query,
                max_fragments=2,
                max_words=25,
                min_words=10,
                fragment_delimiter=" … ",
                **marked,
            ),
        )
        return {pk: (headline, snippet) for pk, headline, snippet in rows}

    def newest_matches(self, query, count):
        """SQL for the ids of the newest ``count`` of these stories that match ``query`` (PostgreSQL).

        Two parts, the second read only when the first falls short:

        1. the newest ``count * SEARCH_WALK_PER_MATCH`` stories, walked newest
           first down the date index, each one's vector tested; this stops at
           the ``count``-th match, after a few thousand stories for a common
           word or phrase, whatever the size of the archive;
        2. the older matches, which only a rarer query needs, through whichever
           index the planner prefers (the GIN index, for a rare word).

        Left to itself the planner walks or uses the GIN index by its estimate of
        how many stories match, and it takes the words of a phrase or of a name
        ("central bank") for independent: it would fetch every one of 50,000
        matches from the GIN index to keep 200.
        """
        walk = count * SEARCH_WALK_PER_MATCH
        live = self.latest_first()
        boundary = live[walk - 1 : walk]
        last_walked = Subquery(boundary.values("publish_at"))
        older = (
            self.filter(search_vector=query, publish_at__lte=last_walked)
            .exclude(publish_at=last_walked, id__gte=Subquery(boundary.values("pk")))
            .latest_first()
            .values("pk")[:count]
        )
        # The test is a column of the walk, not a condition on it: the planner cannot turn it into a
        # GIN index scan, and a sort (for a small section) carries a flag rather than the vectors.
        walked = live.annotate(matches=ExpressionWrapper(Q(search_vector=query), output_field=models.BooleanField()))
        walked_sql, walked_params = walked.values("pk", "matches")[:walk].query.sql_with_params()
        older_sql, older_params = older.query.sql_with_params()
        return RawSQL(
            f"SELECT found.pk FROM ((SELECT walked.pk FROM ({walked_sql}) walked WHERE walked.matches) "
            f"UNION ALL ({older_sql})) found LIMIT %s",
            (*walked_params, *older_params, count),
        )

    def most_read(self):
        """Live stories by their reads in the last ``MOST_READ_HOURS``, from the flushed counts."""
        since = timezone.now() - datetime.timedelta(hours=settings.MOST_READ_HOURS)
        return (
            self.published()
            .filter(read_counts__hour__gte=since)
            .annotate(reads=Sum("read_counts__reads"))
            .order_by("-reads", "-publish_at", "-id")
            .select_related("section")
        )

    def top_per_section(self, per_section):
        """The latest ``per_section`` stories of every section, in two queries whatever the archive's size.

        The first query finds each section's ``per_section``-th newest story
        (one index probe per section), so that the ranking in the second only
        sees a handful of stories instead of the whole archive.
        """
        nth_newest = self.filter(section=OuterRef("pk")).latest_first().values("publish_at")
        cutoffs = Section.objects.annotate(cutoff=Subquery(nth_newest[per_section - 1 : per_section]))
        recent = Q(pk__in=[])
        for section_id, cutoff in cutoffs.values_list("pk", "cutoff"):
            recent |= Q(section_id=section_id, publish_at__gte=cutoff) if cutoff else Q(section_id=section_id)
        return (
            self.filter(recent)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("section_id")],
                    order_by=[F("publish_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=per_section)
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        """Leaves the search vector (larger than the text itself) in the database: only SQL reads it."""
        return super().get_queryset().defer("search_vector")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Part of the story's address. Changing it after publishing redirects the old address.",
    )
    standfirst = models.TextField(
        max_length=600, blank=True, help_text="One or two sentences shown under the headline."
    )
    body = models.TextField(
        blank=True,
        help_text="HTML: paragraphs, sub-heads, links, emphasis, lists, quotes and figures. "
        "Anything else is removed on save.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    lead_photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_for")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    featured = models.BooleanField("top story", default=False, help_text="Show among the top stories on the home page.")
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story goes live. A scheduled story appears by itself at this time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the story's text changes after it went live; shown as “Updated”.",
    )
    comments_open = models.BooleanField(default=True)
    # Weighted headline (A), standfirst (B) and body (C), kept up to date by a
    # database trigger on PostgreSQL so that every write path (save, bulk,
    # raw SQL) refreshes it; unused elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    # Changes to these after publishing are what readers see as an update.
    EDITORIAL_FIELDS = ("headline", "standfirst", "body", "lead_photo_id")

    class Meta:
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
            GinIndex(fields=["search_vector"], name="article_search_gin"),
        ]
        permissions = [("publish_article", "Can publish, schedule and withdraw stories")]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        if self.status == self.Status.PUBLISHED and not self.publish_at:
            self.publish_at = timezone.now()
        old_url = self._loaded_live_url()
        if old_url and self.is_live and self._editorial_change():
            self.updated_at = timezone.now()
        super().save(*args, **kwargs)
        if old_url and old_url != self.get_absolute_url():
            SlugRedirect.objects.update_or_create(old_path=old_url, defaults={"article": self})

    def get_absolute_url(self):
        if self.publish_at:
            return self._story_url(self.section.slug, self.publish_at, self.slug)
        return self.get_short_url()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def clean(self):
        if self.status == self.Status.SCHEDULED and not self.publish_at:
            raise ValidationError({"publish_at": "A scheduled story needs a publication time."})
        if (
            self.status == self.Status.SCHEDULED
            and self.publish_at
            and self.publish_at <= timezone.now()
            and self._loaded_value("status") != self.Status.SCHEDULED
        ):
            raise ValidationError({"publish_at": "To schedule a story, choose a time in the future."})

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

    def get_short_url(self):
        """The address that works forever, whatever happens to section, date or slug."""
        return reverse("articles:story_by_id", kwargs={"pk": self.pk, "slug": self.slug})

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
        """The body as a list of ("html", text) and ("also_read", link) blocks.

        Each "Also read" link sits after the paragraph its editor chose; a
        number past the last paragraph puts it at the end of the body.
        """
        links = sorted(self.also_read_links.all(), key=lambda link: (link.after_paragraph, link.order))
        links = [link for link in links if link.target.is_live]
        ends = paragraph_ends(self.body)
        blocks, start = [], 0
        for link in links:
            cut = ends[min(link.after_paragraph, len(ends)) - 1] if ends else len(self.body)
            if cut > start:
                blocks.append(("html", self.body[start:cut]))
                start = cut
            blocks.append(("also_read", link))
        if start < len(self.body):
            blocks.append(("html", self.body[start:]))
        return blocks

    def related(self, limit=4, pool=50):
        """Editor's picks first, then recent live stories sharing a tag, then the section's, newest first.

        The automatic ones come from the ``pool`` newest live stories sharing a
        tag or the section: a subquery that walks the publication-date index and
        stops, so the cost does not grow with the archive.
        """
        found = [link.target for link in self.also_read_links.all() if link.target.is_live][:limit]
        wanted = limit - len(found)
        if wanted <= 0:
            return found
        akin, order, more = Q(section_id=self.section_id), ["-publish_at", "-id"], Article.objects.all()
        tag_ids = [tag.pk for tag in self.tags.all()]
        if tag_ids:
            shares_tag = Exists(Article.tags.through.objects.filter(article_id=OuterRef("pk"), tag_id__in=tag_ids))
            akin |= shares_tag
            more = more.annotate(shares_tag=shares_tag)
            order.insert(0, "-shares_tag")
        recent = (
            Article.objects.published()
            .filter(akin)
            .exclude(pk__in=[self.pk, *(story.pk for story in found)])
            .latest_first()
            .values("pk")[:pool]
        )
        return found + list(more.filter(pk__in=recent).order_by(*order).for_listing()[:wanted])


class ReadCount(models.Model):
    """How often a story was read in one hour, flushed from the cache counters by ``flush_most_read``.

    Views are counted in the cache (no database write per page view, no
    cookie, nothing about the reader); one row per story and hour holds the
    total once flushed.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_counts")
    hour = models.DateTimeField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="unique_read_count")]
        indexes = [models.Index(fields=["hour"], name="read_count_hour")]

    def __str__(self):
        return f"{self.reads} reads of {self.article_id} at {self.hour:%Y-%m-%d %H:00}"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self):
        return self.author.name


class AlsoRead(models.Model):
    """An "Also read: <headline>" link an editor placed inside a story's body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="also_read_links")
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="linked_from")
    after_paragraph = models.PositiveSmallIntegerField(
        default=1, help_text="Shown after this paragraph of the body (1 = after the first)."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["after_paragraph", "order", "id"]
        verbose_name = "“Also read” link"
        constraints = [models.UniqueConstraint(fields=["article", "target"], name="unique_also_read")]

    def __str__(self):
        return f"Also read: {self.target}"

    def clean(self):
        if self.article_id and self.target_id == self.article_id:
            raise ValidationError({"target": "A story cannot link to itself."})


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {timezone.localtime(self.created_at):%Y-%m-%d}"


class SlugRedirect(models.Model):
    """An address a live story used to have, kept so that old links never break."""

    old_path = models.CharField(max_length=400, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_paths")

    def __str__(self):
        return f"{self.old_path} → {self.article}"
