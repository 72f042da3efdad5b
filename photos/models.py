"""The photo library: photos shared by stories and authors, and the resized copies pages serve."""

import contextlib
import itertools
import threading
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from jobs.queue import enqueue_on_commit
from pagecache.invalidation import ShownOnPages, ShownOnPagesQuerySet

from . import imaging

# What a <picture>'s <img src> points at, for browsers that ignore srcset: the narrowest rendition this wide.
FALLBACK_WIDTH = 640


# The photos whose renditions this thread is changing: their pictures are refreshed once, when it is done.
_changing = threading.local()


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


def pictures_of(photo, renditions):
    """{kind: what its <picture> shows} for a photo with these renditions, and "served" for kinds without any:

    ``src`` (the <img> address: the first JPEG at least FALLBACK_WIDTH wide, else the widest),
    ``width`` and ``height`` (the widest JPEG's, for the aspect ratio), ``jpeg`` and ``webp``
    (srcset strings, narrowest first) and ``widest`` (the widest JPEG's address). Also run by
    the migration that added ``Photo.pictures``: it reads only fields, no methods.
    """
    found = {Photo.SERVED: {"src": photo.image.url, "width": photo.width, "height": photo.height}}
    by_kind = {}
    for rendition in sorted(renditions, key=lambda r: r.width):
        by_kind.setdefault(rendition.kind, {}).setdefault(rendition.format, []).append(rendition)
    for kind, formats in by_kind.items():
        jpegs = formats.get("jpeg")
        if not jpegs:
            continue
        widest = jpegs[-1]
        fallback = next((r for r in jpegs if r.width >= FALLBACK_WIDTH), widest)
        found[kind] = {
            "src": fallback.file.url,
            "width": widest.width,
            "height": widest.height,
            "widest": widest.file.url,
            **{fmt: ", ".join(f"{r.file.url} {r.width}w" for r in sized) for fmt, sized in formats.items()},
        }
    return found


class PhotoQuerySet(ShownOnPagesQuerySet):
    """Photos know their users only by the reverse relations the articles app declares (lead_for,
    in_bodies and portrait_for), so that the photo library depends on no other app."""

    def with_usage(self):
        return self.annotate(
            story_count=Count("lead_for", distinct=True) + Count("in_bodies", distinct=True),
            portrait_count=Count("portrait_for", distinct=True),
        )

    def refresh_pictures(self, chunk=500):
        """Work out these photos' ``pictures`` afresh, ``chunk`` at a time: for rows written without
        Photo.save (an import), or after media moved to another storage or address."""
        photos = self.prefetch_related("renditions").order_by("pk").iterator(chunk_size=chunk)
        while batch := list(itertools.islice(photos, chunk)):
            for photo in batch:
                photo.pictures = pictures_of(photo, photo.renditions.all())
            self.model._base_manager.bulk_update(batch, ["pictures"])

    def in_use(self):
        used = Q(lead_for__isnull=False) | Q(in_bodies__isnull=False) | Q(portrait_for__isnull=False)
        return self.filter(used).distinct()


class Photo(ShownOnPages, models.Model):
    image = PhotoImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        validators=[validate_photo_file],
        help_text=_(
            "JPEG, PNG, WebP or GIF. Readers get a copy without camera or location data; "
            "the original is kept privately."
        ),
    )
    original = models.FileField(
        _("original"), storage=private_storage, upload_to="originals/%Y/%m/", max_length=255, blank=True, editable=False
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    focal_x = models.FloatField(
        _("focal point across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right. Cropped versions keep this point in view."),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True, help_text=_("E.g. “REUTERS” or “Jane Doe/AFP”."))
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # What a <picture> of each kind shows, worked out from the renditions whenever they change
    # (refresh_pictures), so that rendering one reads no rendition rows and asks storage for no address.
    pictures = models.JSONField(_("pictures"), default=dict, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at"]
        permissions = [("change_live_photo", "Can change photos that live stories or author pages show")]

    def __str__(self):
        return self.caption[:80] or self.alt_text[:80]

    # The kind of picture() that is the served copy itself, shown where a kind has no renditions.
    SERVED = "served"

    # save(renditions=LATER): renditions are made by a background job (photos/tasks.py).
    LATER = "later"

    def save(self, *args, renditions=True, **kwargs):
        """A new upload is kept privately as it came, served upright and stripped, and rendered.

        ``renditions=Photo.LATER`` (the admin, which answers at once) drops the renditions that no
        longer match and leaves making them to a background job, pages showing the served copy
        meanwhile; ``renditions=False`` leaves the rendering to build_renditions, for bulk imports.
        """
        upload = self.image if self.image and not self.image._committed else None
        loaded = getattr(self, "_loaded", {})
        focal_moved = any(name in loaded and loaded[name] != getattr(self, name) for name in ("focal_x", "focal_y"))
        with self._new_files_kept_only_on_success():
            clean = self._store_upload(upload) if upload else None
            super().save(*args, **kwargs)
            if clean is not None:
                if renditions == self.LATER:
                    self._build_renditions_later(list(Rendition.Kind))
                elif renditions:
                    self.build_renditions(source=clean, force=True)
                delete_file_on_commit(self.image.storage, loaded.get("image"))
                delete_file_on_commit(self.original.storage, loaded.get("original"))
            elif focal_moved and renditions == self.LATER:
                self._build_renditions_later(Rendition.CROPPED)
            elif focal_moved:
                self.build_renditions(kinds=Rendition.CROPPED, force=True)
            if (clean is not None and not renditions) or not self.pictures:
                self.refresh_pictures()
        self._loaded = self._snapshot()

    def _build_renditions_later(self, kinds):
        from .tasks import build_renditions

        with self._renditions_changing():
            Rendition.objects.filter(photo=self, kind__in=kinds).delete()
        enqueue_on_commit(build_renditions, self.pk)

    @contextlib.contextmanager
    def _new_files_kept_only_on_success(self):
        """One transaction for the rows, and the files written for them deleted again if it fails,
        so that a refused or broken save leaves no stray file behind."""
        outermost = not hasattr(self, "_new_files")
        if outermost:
            self._new_files = []
        try:
            with transaction.atomic():
                yield
        except BaseException:
            if outermost:
                for storage, name in self._new_files:
                    storage.delete(name)
            raise
        finally:
            if outermost:
                del self._new_files

    def _written(self, field_file):
        if hasattr(self, "_new_files"):
            self._new_files.append((field_file.storage, field_file.name))

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
        self._written(self.original)
        extension = imaging.EXTENSIONS[served_format]
        self.image.save(
            f"{PurePosixPath(name).stem}.{extension}", ContentFile(imaging.encode(image, served_format)), save=False
        )
        self._written(self.image)
        self.width, self.height = image.size
        return image

    def open_source(self):
        """The clean image renditions are made from: the original when kept, else the served copy."""
        file = self.original or self.image
        with file.open("rb"):
            image, _format = imaging.open_clean(file)
        return image

    def build_renditions(self, kinds=None, force=False, source=None, check_files=False):
        """Make the renditions that are missing (all of them with ``force``); returns how many were made.

        Runs on upload and from the build_renditions command, never during a page view. The stored
        renditions are read afresh: a prefetched ``renditions`` (the admin's list prefetches only the
        square JPEGs for thumbnails) may hold only some of them.
        """
        with self._new_files_kept_only_on_success(), self._renditions_changing():
            made = self._build_renditions(kinds or list(Rendition.Kind), force, source, check_files)
        getattr(self, "_prefetched_objects_cache", {}).pop("renditions", None)
        return made

    @contextlib.contextmanager
    def _renditions_changing(self):
        """Renditions saved or deleted inside refresh ``pictures`` once, at the end, not once each."""
        changing = _changing.__dict__.setdefault("photos", set())
        changing.add(self.pk)
        try:
            yield
        finally:
            changing.discard(self.pk)
        self.refresh_pictures()

    def _build_renditions(self, kinds, force, source, check_files):
        existing = {(r.kind, r.format, r.width): r for r in Rendition.objects.filter(photo=self, kind__in=kinds)}
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
        self._written(rendition.file)
        rendition.save()
        if old_name != rendition.file.name:
            delete_file_on_commit(rendition.file.storage, old_name)

    def refresh_pictures(self):
        """Work out ``pictures`` afresh from the stored renditions and store it (one read, one write).

        Called wherever renditions are made or dropped; run build_renditions after moving media
        to another storage or address, as the stored addresses are the storage's answers.
        """
        self.pictures = pictures_of(self, Rendition.objects.filter(photo=self))
        Photo._base_manager.filter(pk=self.pk).update(pictures=self.pictures)

    def picture(self, kind):
        """What a <picture> of this kind shows (see ``pictures_of``): the served copy until renditions exist.

        Reads the stored ``pictures``; a row stored before they were kept works them out from its renditions.
        """
        pictures = self.pictures or pictures_of(self, self.renditions.all())
        return pictures.get(kind) or pictures[self.SERVED]

    def renditions_of(self, kind):
        """{format: renditions narrowest first} of one kind; no query when the renditions are prefetched."""
        found = {}
        for rendition in sorted(self.renditions.all(), key=lambda r: r.width):
            if rendition.kind == kind:
                found.setdefault(rendition.format, []).append(rendition)
        return found

    def thumbnail_url(self):
        """The small square JPEG pickers and lists show; the served image while renditions are missing."""
        squares = self.renditions_of(Rendition.Kind.SQUARE).get(Rendition.Format.JPEG)
        return squares[0].file.url if squares else self.image.url

    def shown_live(self):
        """Whether a reader sees this photo now: in a live story (lead or body) or as an author's portrait.

        Then changing its caption, credit or alt text changes a published page,
        which only those who may publish do. "Live" is the stories' own
        definition (their ``published()``), reached through the relation.
        """
        live = self.lead_for.model.objects.published()
        shown = Q(portrait_for__isnull=False) | Q(lead_for__in=live) | Q(in_bodies__article__in=live)
        return Photo.objects.filter(shown, pk=self.pk).exists()

    def usage(self):
        """The stories and authors showing this photo: while there are any, it cannot be deleted."""
        stories = {story.pk: story for story in self.lead_for.order_by("-publish_at", "-id")}
        for shown in self.in_bodies.select_related("article"):
            stories.setdefault(shown.article_id, shown.article)
        return list(stories.values()), list(self.portrait_for.all())

    def changed_tags(self):
        """The pages that show it (a story's lead or body photo, an author's portrait) carry its tag."""
        return [f"photo:{self.pk}"]


class Rendition(ShownOnPages, models.Model):
    """One resized (and for some kinds cropped) copy of a photo, made once and then only served."""

    class Kind(models.TextChoices):
        FULL = "full", _("Whole photo")
        CARD = "card", _("16:9 crop")
        FOUR_THREE = "4x3", _("4:3 crop")
        SQUARE = "square", _("1:1 crop")

    class Format(models.TextChoices):
        WEBP = "webp", _("WebP")
        JPEG = "jpeg", _("JPEG")

    # The 4:3 crop is for search engines, which ask for 16:9, 4:3 and 1:1 images of a story (metadata.py).
    RATIOS = {Kind.FULL: None, Kind.CARD: 16 / 9, Kind.FOUR_THREE: 4 / 3, Kind.SQUARE: 1.0}
    CROPPED = [Kind.CARD, Kind.FOUR_THREE, Kind.SQUARE]

    photo = models.ForeignKey(Photo, verbose_name=_("photo"), on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    file = models.FileField(_("file"), max_length=255)

    objects = ShownOnPagesQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        ordering = ["kind", "format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "kind", "format", "width"], name="rendition_unique_size")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.width} px, {self.get_format_display()}"

    def changed_tags(self):
        return [f"photo:{self.photo_id}"]

    @staticmethod
    def bulk_changed_tags(renditions):
        return {f"photo:{pk}" for pk in renditions.values_list("photo_id", flat=True).distinct()}

    def file_exists(self):
        return bool(self.file.name) and self.file.storage.exists(self.file.name)


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance, **kwargs):
    delete_file_on_commit(instance.image.storage, instance.image.name)
    delete_file_on_commit(instance.original.storage, instance.original.name)


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender, instance, **kwargs):
    delete_file_on_commit(instance.file.storage, instance.file.name)


@receiver(post_save, sender=Rendition)
@receiver(post_delete, sender=Rendition)
def refresh_pictures_of_photo(sender, instance, origin=None, **kwargs):
    """A rendition saved or deleted in any way (a queryset's delete too) shows on the photo's next render;
    renditions deleted with their photo need nothing."""
    deleting_photos = isinstance(origin, Photo) or getattr(origin, "model", None) is Photo
    if deleting_photos or instance.photo_id in getattr(_changing, "photos", ()):
        return
    photo = Photo._base_manager.filter(pk=instance.photo_id).first()
    if photo is not None:
        photo.refresh_pictures()
