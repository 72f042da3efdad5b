"""What every import shares: stories written in bulk batches, comments, legacy redirects, the report, progress.

Importers (WordPress, feeds) turn their source into StoryRecord values; the
Importer stores them a batch at a time, each batch in one transaction
together with the ImportedItem rows that remember it. An interrupted run
therefore leaves whole batches behind, and the next run skips them as
unchanged and carries on: that is what makes every import resumable and
idempotent. A batch the database refuses (one over-long value, one duplicated
id) is stored again item by item, so that only the bad item fails.
"""

import datetime
import hashlib
import html
import io
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import reversion
from django.db import DatabaseError, connection, transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from reversion.models import Version

from articles.checks import site_paths
from articles.models import Article, BodyPhoto, Byline, Section, Tag
from articles.models import Author as StoryAuthor
from comments.abuse import keyed_hash
from comments.models import Comment, body_digest
from pagecache.invalidation import invalidate_pages

from .models import ImportedItem, Redirect, legacy_path


class Malformed(Exception):
    """One item cannot be imported as it is; the others can."""


class DryRunRollback(Exception):
    pass


@dataclass
class CommentRecord:
    source_id: str
    parent_id: str
    author_name: str
    email: str
    body: str
    status: str
    created: datetime.datetime
    ip: str = ""
    user_agent: str = ""


@dataclass
class StoryRecord:
    source_id: str
    headline: str
    slug: str
    body: str
    status: str
    publish_at: datetime.datetime | None
    section: tuple  # (slug, name)
    standfirst: str = ""
    tags: list = field(default_factory=list)  # [(slug, name)]
    authors: list = field(default_factory=list)  # [(slug, name)]
    comments_open: bool = True
    featured: bool = False
    lead_photo_id: int | None = None
    body_photos: list = field(default_factory=list)  # [(after_paragraph, photo pk)]
    legacy_urls: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    def digest(self):
        """A fingerprint of everything stored from the record (vars, not asdict: no deep copies)."""
        return digest_of({**vars(self), "comments": [vars(comment) for comment in self.comments]})


def digest_of(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value):
    """A value as PostgreSQL's COPY text format writes it."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).translate(COPY_ESCAPES)


def copy_rows(model, rows):
    """Write rows (dicts by attname) with PostgreSQL's COPY: no model instances; missing fields get their defaults.

    The id is written only when the rows hold one; otherwise the table's sequence gives it.
    """
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key or field.attname in rows[0]]
    defaults = {field.attname: field.get_default() for field in fields if field.attname not in rows[0]}
    lines = "".join(
        "\t".join(
            copy_text(row[field.attname] if field.attname in row else defaults[field.attname]) for field in fields
        )
        + "\n"
        for row in rows
    )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's errors, as for any query
        cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", io.StringIO(lines))


def plain_text(markup):
    """Text without tags or entities: what a comment or standfirst holds."""
    return html.unescape(strip_tags(markup or "")).strip()


class Report:
    """Counts per kind of item and outcome, and every skipped or failed item with its id and reason."""

    OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")

    def __init__(self):
        self.counts = defaultdict(Counter)
        self.problems = []

    def add(self, kind, outcome, source_id="", reason=""):
        self.counts[kind][outcome] += 1
        if outcome in ("skipped", "failed"):
            self.problems.append((outcome, kind, source_id, reason))

    def total(self, outcome):
        return sum(counts[outcome] for counts in self.counts.values())

    def lines(self, dry_run=False):
        heading = "Dry run: nothing was stored. It would have:" if dry_run else "Import finished:"
        yield heading
        for kind in sorted(self.counts):
            counts = self.counts[kind]
            parts = ", ".join(f"{counts[outcome]} {outcome}" for outcome in self.OUTCOMES if counts[outcome])
            yield f"  {kind}: {parts}"
        for outcome, kind, source_id, reason in self.problems:
            yield f"  {outcome}: {kind} {source_id}: {reason}"


class Progress:
    """A one-line progress bar on a terminal stream: done/total, percentage, items per second and ETA."""

    def __init__(self, stream, total, label="Importing", interval=0.5):
        self.stream, self.total, self.label, self.interval = stream, max(total, 0), label, interval
        self.done = 0
        self.started = self.shown = time.monotonic()

    def step(self, count=1):
        self.done += count
        now = time.monotonic()
        if now - self.shown >= self.interval:
            self.shown = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now=None):
        elapsed = max((now or time.monotonic()) - self.started, 1e-6)
        rate = self.done / elapsed
        total = max(self.total, self.done)
        share = self.done / total if total else 1
        width = 30
        bar = "#" * int(share * width)
        left = (total - self.done) / rate if rate else 0
        eta = str(datetime.timedelta(seconds=int(left)))
        return f"{self.label} [{bar:<{width}}] {self.done:,}/{total:,} {share:.0%} {rate:,.0f}/s ETA {eta}"

    def finish(self):
        self.stream.write("\r" + self.line() + "\n")
        self.stream.flush()


class Importer:
    """Stores story records in batches, with their bylines, tags, comments and old addresses."""

    batch_size = 500
    STORY_FIELDS = (
        "headline",
        "slug",
        "standfirst",
        "body",
        "section",
        "status",
        "publish_at",
        "comments_open",
        "featured",
        "lead_photo_id",
    )

    def __init__(self, source, dry_run=False, stderr=None, section_map=None, default_section="news"):
        self.source = source[:300]
        self.dry_run = dry_run
        self.stderr = stderr or sys.stderr
        self.report = Report()
        self.section_map = section_map or {}
        self.default_section = default_section
        self.sections, self.tags, self.authors = {}, {}, {}
        self.site_paths = site_paths()  # read from the URLconf once, not for every story
        self.stories = {}  # source id → article id
        self.redirects = []

    # Terms and people, made once each and then remembered.

    def section(self, slug, name):
        slug = self.section_map.get(slug, slug) or self.default_section
        slug = slugify(slug)[:80] or self.default_section
        if slug in self.site_paths:
            slug = f"{slug}-section"
        if slug not in self.sections:
            self.sections[slug] = self._get_or_make(Section, slug, name or slug.replace("-", " ").title())
        return self.sections[slug]

    def tag_id(self, slug, name):
        slug = slugify(slug or name)[:80]
        if not slug:
            return None
        if slug not in self.tags:
            self.tags[slug] = self._get_or_make(Tag, slug, name or slug).pk
        return self.tags[slug]

    def author_id(self, slug, name):
        slug = slugify(slug or name)[:120] or "contributor"
        if slug not in self.authors:
            self.authors[slug] = self._get_or_make(StoryAuthor, slug, name or slug).pk
        return self.authors[slug]

    @staticmethod
    def _get_or_make(model, slug, name):
        found = model.objects.filter(slug=slug).first()
        if found:
            return found
        name = name.strip()[: model._meta.get_field("name").max_length] or slug
        if model is not StoryAuthor and model.objects.filter(name=name).exists():
            name = f"{name} ({slug})"[: model._meta.get_field("name").max_length]
        return model.objects.create(slug=slug, name=name)

    # Batches.

    def run_batches(self, records, progress):
        """Store ``records`` (StoryRecord, or (kind, id, reason) tuples for items already judged) in batches."""
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.batch_size:
                self.store_batch(batch)
                progress.step(len(batch))
                batch = []
        if batch:
            self.store_batch(batch)
            progress.step(len(batch))

    def store_batch(self, batch):
        with transaction.atomic():
            refused = self._stored(batch)
            if refused:
                for record in batch:
                    reason = self._stored([record]) if len(batch) > 1 else refused
                    if reason:
                        self.report.add("stories", "failed", record.source_id, f"cannot be stored: {reason}")
            invalidate_pages()

    def _stored(self, batch):
        """Store the batch in a savepoint; if the database refuses it, undo what was remembered of it and say why."""
        counts = {kind: Counter(outcomes) for kind, outcomes in self.report.counts.items()}
        problems = len(self.report.problems)
        terms = (dict(self.sections), dict(self.tags), dict(self.authors))
        try:
            with transaction.atomic():
                self._store_batch(batch)
        except (DatabaseError, ValueError) as error:
            self.report.counts = defaultdict(Counter, counts)
            del self.report.problems[problems:]
            self.sections, self.tags, self.authors = terms
            for record in batch:
                self.stories.pop(getattr(record, "source_id", None), None)
            return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None

    def _store_batch(self, batch):
        stories = [record for record in batch if isinstance(record, StoryRecord)]
        for record in batch:
            if not isinstance(record, StoryRecord):
                self.report.add(*record)
        known = {
            item.source_id: item
            for item in ImportedItem.objects.filter(
                source=self.source, kind="story", source_id__in=[record.source_id for record in stories]
            )
        }
        new, changed = [], []
        for record in stories:
            item = known.get(record.source_id)
            if item is None:
                new.append(record)
            elif item.digest != record.digest():
                changed.append((item, record))
            else:
                self.stories[record.source_id] = item.object_id
                self.report.add("stories", "unchanged")
                self.report.counts["comments"]["unchanged"] += len(record.comments)
        self._create(new)
        for item, record in changed:
            self._update(item, record)

    def _unique_slugs(self, records):
        wanted = [record.slug for record in records]
        taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        for record in records:
            slug = record.slug
            if slug in taken:
                slug = f"{slug[: 190 - len(record.source_id)]}-{slugify(record.source_id) or 'imported'}"
                n = 2
                while slug in taken or Article.objects.filter(slug=slug).exists():
                    slug = f"{record.slug[:180]}-{n}"
                    n += 1
            taken.add(slug)
            record.slug = slug

    def _article(self, record):
        return Article(
            headline=record.headline,
            slug=record.slug,
            standfirst=record.standfirst,
            body=record.body,
            section=self.section(*record.section),
            status=record.status,
            publish_at=record.publish_at,
            comments_open=record.comments_open,
            featured=record.featured,
            lead_photo_id=record.lead_photo_id,
        )

    def _create(self, records):
        if not records:
            return
        digests = {record.source_id: record.digest() for record in records}
        self._unique_slugs(records)
        articles = Article.objects.bulk_create([self._article(record) for record in records])
        bylines, tag_links, items = [], [], []
        for record, article in zip(records, articles, strict=True):
            self.stories[record.source_id] = article.pk
            bylines += self._bylines(record, article.pk)
            tag_links += self._tag_links(record, article.pk)
            items.append(self._item("story", record.source_id, article.pk, digests[record.source_id]))
            self.report.add("stories", "created")
        Byline.objects.bulk_create(bylines)
        Article.tags.through.objects.bulk_create(tag_links)
        BodyPhoto.objects.bulk_create(
            photo
            for record, article in zip(records, articles, strict=True)
            for photo in self._body_photos(record, article.pk)
        )
        comments = [(article, record.comments) for record, article in zip(records, articles, strict=True)]
        items += self._comments(comments, known={})
        self._store_items(items)
        self._redirects(zip(records, articles, strict=True))

    def _update(self, item, record):
        article = Article.objects.get(pk=item.object_id)
        if not Version.objects.get_for_object(article).exists():
            # Stories are first stored in bulk, without a revision: keep the text as it was before changing it.
            with reversion.create_revision():
                reversion.set_comment(f"As imported from {self.source}"[:200])
                reversion.add_to_revision(article)
        if record.slug != article.slug:
            self._unique_slugs([record])
        fresh = self._article(record)
        for name in self.STORY_FIELDS:
            setattr(article, name, getattr(fresh, name))
        article.save()
        article.bylines.all().delete()
        Byline.objects.bulk_create(self._bylines(record, article.pk))
        article.tags.set([link.tag_id for link in self._tag_links(record, article.pk)])
        article.body_photos.all().delete()
        BodyPhoto.objects.bulk_create(self._body_photos(record, article.pk))
        known = {
            found.source_id: found
            for found in ImportedItem.objects.filter(
                source=self.source,
                kind="comment",
                source_id__in=[comment.source_id for comment in record.comments],
            )
        }
        new_items = self._comments([(article, record.comments)], known)
        self._store_items(new_items)
        item.digest = record.digest()
        item.save(update_fields=["digest"])
        self.stories[record.source_id] = article.pk
        self.report.add("stories", "updated")
        self._redirects([(record, article)])

    def _bylines(self, record, article_id):
        seen, bylines = set(), []
        for order, (slug, name) in enumerate(record.authors):
            author_id = self.author_id(slug, name)
            if author_id not in seen:
                seen.add(author_id)
                bylines.append(Byline(article_id=article_id, author_id=author_id, order=order))
        return bylines

    @staticmethod
    def _body_photos(record, article_id):
        return [
            BodyPhoto(article_id=article_id, photo_id=photo_id, after_paragraph=after, order=order)
            for order, (after, photo_id) in enumerate(record.body_photos)
        ]

    def _tag_links(self, record, article_id):
        ids = {self.tag_id(slug, name) for slug, name in record.tags} - {None}
        return [Article.tags.through(article_id=article_id, tag_id=tag_id) for tag_id in sorted(ids)]

    def _item(self, kind, source_id, object_id, digest):
        return {"source": self.source, "kind": kind, "source_id": source_id, "object_id": object_id, "digest": digest}

    @staticmethod
    def _store_items(items):
        """ImportedItem rows from dicts: one COPY on PostgreSQL, else one bulk insert."""
        if connection.vendor == "postgresql":
            copy_rows(ImportedItem, items)
        else:
            ImportedItem.objects.bulk_create(ImportedItem(**item) for item in items)

    # Comments: each reply stored with its parent's id.

    def _comments(self, stories, known):
        """Store the comments of (article, [CommentRecord]) pairs; return the ImportedItem rows to add."""
        items, levels = [], defaultdict(list)
        for article, records in stories:
            by_id = {record.source_id: record for record in records}
            seen_digests = set()
            for record in records:
                found = known.get(record.source_id)
                digest = digest_of(vars(record))
                if found and found.digest == digest:
                    self.report.add("comments", "unchanged")
                    continue
                if found:
                    Comment.objects.filter(pk=found.object_id).update(**self._comment_fields(record))
                    found.digest = digest
                    found.save(update_fields=["digest"])
                    self.report.add("comments", "updated")
                    continue
                key = (record.email, body_digest(record.body))
                if key in seen_digests:
                    self.report.add("comments", "skipped", record.source_id, "the same text by the same person twice")
                    continue
                seen_digests.add(key)
                depth, parent = 0, by_id.get(record.parent_id)
                while parent is not None and depth < len(records):
                    depth += 1
                    parent = by_id.get(parent.parent_id)
                levels[depth].append((article, record, digest))
        made = {source_id: found.object_id for source_id, found in known.items()}
        store = self._copy_comments if connection.vendor == "postgresql" else self._insert_comments
        for _, record, digest, pk in store(levels, made):
            items.append(self._item("comment", record.source_id, pk, digest))
            self.report.add("comments", "created")
        return items

    def _comment_values(self, article, record, parent_id):
        return {
            "article_id": article.pk,
            "parent_id": parent_id,
            "body_digest": body_digest(record.body),
            **self._comment_fields(record),
        }

    def _insert_comments(self, levels, made):
        """A level of the thread at a time, so that each reply's parent has its id."""
        for depth in sorted(levels):
            rows = [
                Comment(**self._comment_values(article, record, made.get(record.parent_id)))
                for article, record, _ in levels[depth]
            ]
            created = Comment.objects.bulk_create(rows)
            for comment, (article, record, digest) in zip(created, levels[depth], strict=True):
                made[record.source_id] = comment.pk
                yield article, record, digest, comment.pk

    def _copy_comments(self, levels, made):
        """On PostgreSQL: ids taken from the sequence first, then every comment in one COPY, without model instances.

        Replies can point to their parents before either is written (foreign keys are checked at commit).
        """
        count = sum(len(level) for level in levels.values())
        if not count:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Comment._meta.db_table, count],
            )
            ids = iter(sorted(row[0] for row in cursor.fetchall()))
        stored, rows = [], []
        for depth in sorted(levels):
            for article, record, digest in levels[depth]:
                values = {"id": next(ids), **self._comment_values(article, record, made.get(record.parent_id))}
                made[record.source_id] = values["id"]
                stored.append((article, record, digest, values["id"]))
                rows.append(values)
        copy_rows(Comment, rows)
        return stored

    @staticmethod
    def _comment_fields(record):
        return {
            "author_name": record.author_name[:80] or "Anonymous",
            "email": record.email,
            "body": record.body,
            "status": record.status,
            "created": record.created,
            "ip_hash": keyed_hash(record.ip) if record.ip else "",
            "user_agent": record.user_agent[:300],
        }

    # Old addresses.

    def _redirects(self, pairs):
        rows = []
        for record, article in pairs:
            current = article.get_absolute_url() if article.publish_at else None
            for url in record.legacy_urls:
                path = legacy_path(url)[:500]
                if path and path != current and path != "/":
                    rows.append(
                        Redirect(old_path=path, article_id=article.pk, note=f"Imported from {self.source}"[:200])
                    )
        Redirect.objects.bulk_create(rows, ignore_conflicts=True)

    def add_redirects(self, pairs):
        """Old addresses (url, article id) that are not a story's own, such as attachment pages."""
        note = f"Imported from {self.source}"[:200]
        rows = [Redirect(old_path=legacy_path(url)[:500], article_id=pk, note=note) for url, pk in pairs]
        rows = [row for row in rows if row.old_path != "/"]
        Redirect.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)

    # The whole run.

    def execute(self, work):
        """Run ``work()`` for real, or inside a transaction rolled back at the end for a dry run.

        On PostgreSQL the import's commits do not wait for the disk: an import is idempotent and resumable,
        so the few transactions a crash could lose are stored again by running it again.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        if not self.dry_run:
            work()
            return self.report
        try:
            with transaction.atomic():
                work()
                raise DryRunRollback
        except DryRunRollback:
            pass
        return self.report
