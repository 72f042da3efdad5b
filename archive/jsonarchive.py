"""The site's own archive format: every table of the archive as JSON lines, the photo files beside them.

Export streams (rows in primary-key order, a chunk at a time; files copied
as streams) and is deterministic: the same database always gives the same
bytes, and the manifest's id is a digest of the data. Rows keep their
primary keys, so that importing into an empty database and exporting again
gives an identical archive. Stories' revisions travel with them; content
types are written as "app_label.model", since their ids differ between
databases, and accounts by username. Import refuses a database that already holds
stories, unless it is resuming this very archive; rows already there are
updated when they differ and skipped when not.
"""

import contextlib
import datetime
import hashlib
import json
import shutil
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.files.storage import default_storage, storages
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils.dateparse import parse_datetime

from pagecache.invalidation import invalidate_pages
from photos.models import Photo

from .importing import DryRunRollback, Progress, Report
from .models import ImportedItem

FORMAT = "newsdesk-archive"
VERSION = 1
# In the order an import needs them: what a row points to comes before it.
MODELS = [
    "photos.Photo",
    "photos.Rendition",
    "articles.Section",
    "articles.Tag",
    "articles.Author",
    "articles.Article",
    "articles.Byline",
    "articles.AlsoRead",
    "articles.Correction",
    "articles.BodyPhoto",
    "articles.SlugRedirect",
    "articles.ReadCount",
    "articles.FrontPage",
    "articles.Placement",
    "articles.BreakingNews",
    "articles.LiveUpdate",
    "reversion.Revision",
    "reversion.Version",
    "comments.Comment",
    "comments.Flag",
    "comments.Decision",
    "comments.CommentSettings",
    "comments.Commenter",
    "comments.BannedWord",
    "comments.StoryModeration",
    "comments.Ban",
    "comments.OutboundEmail",
    "archive.Redirect",
    "archive.ImportedItem",
]
# Models of the archived apps that are never exported, and why.
NOT_ARCHIVED = {
    "articles.EditorialNote": "notes between the people working on a story are internal: they never leave the site",
}
# Tables an older archive may lack: importing it leaves them empty.
OPTIONAL = {"reversion.Revision", "reversion.Version"}
CHUNK = 2000


class RefusedArchive(Exception):
    """The directory is not an archive this site can import, or the database is not ready for it."""


def fields_of(model):
    return [field for field in model._meta.concrete_fields if not isinstance(field, SearchVectorField)]


def is_user(field):
    return field.is_relation and field.related_model is get_user_model()


def is_content_type(field):
    return field.is_relation and field.related_model is ContentType


def content_type_label(content_type_id):
    if content_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def content_type_id(label):
    """The id in this database of the content type named "app_label.model"."""
    if label is None:
        return None
    if not isinstance(label, str) or label.count(".") != 1:
        raise ValueError(f"“{label}” does not name a content type as app_label.model")
    try:
        return ContentType.objects.get_by_natural_key(*label.split(".")).pk
    except ContentType.DoesNotExist as error:
        raise ValueError(f"this site has no content type {label}") from error


def rows_of(model):
    """The model's rows for export, in primary-key order, read a chunk at a time."""
    queryset = model._base_manager.order_by("pk")
    if model._meta.label == "archive.ImportedItem":
        queryset = queryset.exclude(kind="archive")
    user_fields = [field.name for field in fields_of(model) if is_user(field)]
    if user_fields:
        queryset = queryset.select_related(*user_fields)
    many = [field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created]
    if many:
        queryset = queryset.prefetch_related(*many)
    return queryset.iterator(chunk_size=CHUNK), many


def encode(instance, many):
    row = {}
    for field in fields_of(instance):
        if is_user(field):
            user = getattr(instance, field.name)
            row[field.name] = user.get_username() if user else None
            continue
        if is_content_type(field):
            row[field.name] = content_type_label(getattr(instance, field.attname))
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        elif isinstance(field, models.FileField):
            value = value.name or ""
        row[field.attname] = value
    for name in many:
        row[name] = sorted(related.pk for related in getattr(instance, name).all())
    return row


def export(directory, stderr):
    directory = Path(directory)
    (directory / "data").mkdir(parents=True, exist_ok=True)
    counts, digest = {}, hashlib.sha256()
    total = sum(apps.get_model(label)._base_manager.count() for label in MODELS)
    progress = Progress(stderr, total, label="Exporting")
    for label in MODELS:
        model = apps.get_model(label)
        rows, many = rows_of(model)
        path = directory / "data" / f"{label.lower()}.jsonl"
        counts[label] = 0
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for instance in rows:
                line = json.dumps(encode(instance, many), sort_keys=True, ensure_ascii=False) + "\n"
                out.write(line)
                digest.update(line.encode())
                counts[label] += 1
                copy_files_out(instance, directory)
                progress.step()
    progress.finish()
    manifest = {"format": FORMAT, "version": VERSION, "id": digest.hexdigest(), "counts": counts}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def file_fields(model):
    """(field name, folder in the archive, storage) of each file a model's rows hold."""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            private = field.storage is storages["private"]
            yield field.name, "private" if private else "public", storages["private"] if private else default_storage


def copy_files_out(instance, directory):
    for name, area, storage in file_fields(type(instance)):
        file = getattr(instance, name)
        if file.name and storage.exists(file.name):
            target = directory / "files" / area / file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(file.name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)


def read_manifest(directory):
    path = Path(directory) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RefusedArchive(
            f"{directory} has no manifest.json: it is not an archive exported by this site."
        ) from error
    except (ValueError, OSError) as error:
        raise RefusedArchive(f"manifest.json cannot be read: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RefusedArchive("manifest.json does not describe a Newsdesk archive.")
    if manifest.get("version") != VERSION:
        raise RefusedArchive(f"Archive format version {manifest.get('version')} is not supported (1 is).")
    for label in MODELS:
        if label not in OPTIONAL and not (Path(directory) / "data" / f"{label.lower()}.jsonl").is_file():
            raise RefusedArchive(f"The archive lacks data/{label.lower()}.jsonl.")
    return manifest


@contextlib.contextmanager
def stored_times_kept():
    """Let bulk writes store the archive's created and modified times instead of now."""
    switched = []
    for label in MODELS:
        for field in apps.get_model(label)._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class ArchiveImporter:
    def __init__(self, directory, dry_run=False, stderr=None):
        self.directory = Path(directory)
        self.dry_run = dry_run
        self.stderr = stderr
        self.report = Report()
        self.manifest = read_manifest(self.directory)
        self.users = {}

    def check_database(self):
        resuming = ImportedItem.objects.filter(kind="archive", source_id=self.manifest["id"]).exists()
        holds = [label for label in MODELS[:5] if apps.get_model(label)._base_manager.exists()]
        if holds and not resuming:
            raise RefusedArchive(
                f"The database already holds {', '.join(holds)}: an archive is imported into an empty site "
                "(or to resume an import of the same archive)."
            )
        if not resuming:
            # A negative id, which no exported row has: the archive's own ImportedItem rows keep theirs.
            ImportedItem.objects.create(
                id=-int(self.manifest["id"][:12], 16),
                source="archive",
                kind="archive",
                source_id=self.manifest["id"],
                object_id=0,
                digest=self.manifest["id"],
            )

    def run(self):
        try:
            with stored_times_kept():
                if self.dry_run:
                    with transaction.atomic():
                        self._run()
                        raise DryRunRollback
                else:
                    self._run()
        except DryRunRollback:
            pass
        return self.report

    def _run(self):
        self.check_database()
        progress = Progress(self.stderr, sum(self.manifest["counts"].values()))
        for label in MODELS:
            model = apps.get_model(label)
            chunk = []
            for row in self.rows(label):
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    self.store(model, chunk)
                    progress.step(len(chunk))
                    chunk = []
            if chunk:
                self.store(model, chunk)
                progress.step(len(chunk))
        self.reset_sequences()
        # Their pictures name this site's addresses of the renditions, not the exporting site's.
        Photo.objects.refresh_pictures()
        progress.finish()

    def rows(self, label):
        key = apps.get_model(label)._meta.pk.attname
        path = self.directory / "data" / f"{label.lower()}.jsonl"
        if label in OPTIONAL and not path.is_file():
            return
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict) or not isinstance(row.get(key), int):
                        raise ValueError(f"not an object with a numeric {key}")
                except ValueError as error:
                    self.report.add(label, "failed", f"line {number}", f"not a valid row: {error}")
                    continue
                yield row

    def store(self, model, rows):
        key = model._meta.pk.attname
        with transaction.atomic():
            existing = {obj.pk: obj for obj in model._base_manager.filter(pk__in=[row[key] for row in rows])}
            new, changed = [], []
            for row in rows:
                try:
                    instance = self.decode(model, row)
                except (ValueError, TypeError, KeyError) as error:
                    self.report.add(model._meta.label, "failed", row[key], str(error))
                    continue
                old = existing.get(row[key])
                if old is None:
                    new.append((row, instance))
                elif encode(old, []) != encode(instance, []):
                    changed.append((row, instance))
                else:
                    self.report.add(model._meta.label, "unchanged")
            self.create(model, new)
            for row, instance in changed:
                self.save_one(model, row, instance, update=True)
            invalidate_pages()

    def create(self, model, pairs):
        if not pairs:
            return
        try:
            with transaction.atomic():
                model._base_manager.bulk_create([instance for _, instance in pairs])
                for row, instance in pairs:
                    self.set_many(instance, row)
        except (DatabaseError, ValueError):
            for row, instance in pairs:
                self.save_one(model, row, instance, update=False)
            return
        for _, instance in pairs:
            self.copy_files_in(model, instance)
            self.report.add(model._meta.label, "created")

    def save_one(self, model, row, instance, update):
        try:
            with transaction.atomic():
                instance.save_base(raw=True, force_update=update, force_insert=not update)
                self.set_many(instance, row)
        except (DatabaseError, ValueError) as error:
            self.report.add(model._meta.label, "failed", instance.pk, f"cannot be stored: {error}")
            return
        self.copy_files_in(model, instance)
        self.report.add(model._meta.label, "updated" if update else "created")

    def decode(self, model, row):
        values = {}
        for field in fields_of(model):
            if is_user(field):
                values[field.attname] = self.user_id(row.get(field.name))
                continue
            if is_content_type(field):
                values[field.attname] = content_type_id(row.get(field.name))
                continue
            value = row.get(field.attname, field.get_default() if field.has_default() else None)
            if isinstance(field, models.DateTimeField) and isinstance(value, str):
                value = parse_datetime(value)
                if value is None:
                    raise ValueError(f"{field.name} is not a date and time")
            values[field.attname] = value
        return model(**values)

    @staticmethod
    def set_many(instance, row):
        for field in instance._meta.many_to_many:
            if field.remote_field.through._meta.auto_created and field.name in row:
                getattr(instance, field.name).set(row[field.name])

    def user_id(self, username):
        """The id of the account by that name; an inactive one without a password is made if missing."""
        if not username:
            return None
        if username not in self.users:
            user_model = get_user_model()
            user = user_model._base_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
            if user is None:
                user = user_model(**{user_model.USERNAME_FIELD: username}, is_active=False)
                user.set_unusable_password()
                user.save()
            self.users[username] = user.pk
        return self.users[username]

    def copy_files_in(self, model, instance):
        if self.dry_run:
            return
        for name, area, storage in file_fields(model):
            file = getattr(instance, name)
            source = self.directory / "files" / area / file.name
            if not file.name or not source.is_file() or storage.exists(file.name):
                continue
            with source.open("rb") as handle:
                stored = storage.save(file.name, handle)
            if stored != file.name:
                raise ValueError(f"the file {file.name} was stored as {stored}")

    @staticmethod
    def reset_sequences():
        statements = connection.ops.sequence_reset_sql(no_style(), [apps.get_model(label) for label in MODELS])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
