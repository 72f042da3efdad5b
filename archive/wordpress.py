"""WordPress export (WXR) items as stories, photos, comments and redirects.

The file is read twice, each time as a stream: once to refuse a broken file
before anything is written, count items for the progress bar and keep the
attachments (small dicts; read again from the file only when there are very
many), which are stored first so that every post finds its photos; then for
the posts with their comments.
"""

import datetime
import itertools
import re
from pathlib import Path
from urllib.parse import unquote

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from comments.models import Comment
from newsdesk.text import is_number
from photos.models import Photo

from . import convert, wxr
from .importing import CommentRecord, Importer, Malformed, Progress, StoryRecord, digest_of, plain_text
from .models import ImportedItem

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
}
COMMENT_STATUSES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING, "spam": Comment.Status.SPAM}
ZERO_DATE = "0000-00-00 00:00:00"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
CREDIT = re.compile(r's:6:"credit";s:\d+:"(.*?)";', re.DOTALL)


def parse_date(gmt, local):
    """An aware time from ``post_date_gmt``, else ``post_date`` in the site's zone; None when both are zero."""
    for value, zone in ((gmt, datetime.UTC), (local, timezone.get_current_timezone())):
        value = (value or "").strip()
        if not value or value == ZERO_DATE:
            continue
        try:
            if not DATE.match(value):
                raise ValueError(value)
            return datetime.datetime.fromisoformat(value).replace(tzinfo=zone)
        except ValueError as error:
            raise Malformed(f"the date “{value}” is not a WordPress date") from error
    return None


def post_id(item):
    value = item.get("wp:post_id", "").strip()
    if not is_number(value):
        raise Malformed(f"the post id “{value}” is not a number")
    return value


class WordPressImporter(Importer):
    # Attachments kept in memory from the first reading (about 2 kB each); beyond, they are read again.
    kept_attachments = 50_000

    def __init__(self, path, media_dir=None, defer_renditions=False, **kwargs):
        self.path = Path(path)
        self.defer_renditions = defer_renditions
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.photos = convert.PhotoIndex()
        self.attachment_pages = []  # (old address, parent post id)
        # Refuses a broken file before anything is written.
        self.channel, self.counts, self.attachments = wxr.survey(
            self.path, keep="attachment", limit=self.kept_attachments
        )
        self.authors_by_login = {
            author.get("wp:author_login", ""): author.get("wp:author_display_name", "")
            for author in self.channel.authors
        }
        super().__init__(f"wordpress:{self.channel.base_url}", **kwargs)

    def items(self, post_type=None, skip=None):
        """The items, only those of one post type, or all but one (the others are not turned into dicts)."""

        def parse(element):
            kind = wxr.kinds_in(element)[0] if post_type or skip else None
            if (post_type and kind != post_type) or (skip and kind == skip):
                return None
            return wxr.item_dict(element)

        for kind, value in wxr.read(self.path, parse_item=parse):
            if kind == "item" and value is not None:
                yield value

    def run(self):
        return self.execute(self._run)

    def _run(self):
        total = sum(count for kind, count in self.counts.items() if kind != "comments")
        progress = Progress(self.stderr, total)
        attachments = iter(self.attachments) if self.attachments is not None else self.items("attachment")
        while True:
            # A hundred photos to a transaction, each in a savepoint of its own: one bad file fails alone.
            with transaction.atomic():
                batch = list(itertools.islice(attachments, 100))
                for item in batch:
                    self.import_attachment(item)
            if not batch:
                break
            progress.step(len(batch))
        self.attachments = None
        self.run_batches(self.post_records(), progress)
        with transaction.atomic():
            self.add_redirects(
                (url, self.stories[parent]) for url, parent in self.attachment_pages if parent in self.stories
            )
        progress.finish()

    # Attachments become photos, one at a time: each is a file to check and process.

    def import_attachment(self, item):
        try:
            source_id = post_id(item)
        except Malformed as error:
            self.report.add("photos", "failed", item.get("wp:post_id", "?"), str(error))
            return
        parent = item.get("wp:post_parent", "0").strip()
        for url in (item.get("link", ""), f"/?attachment_id={source_id}"):
            if url and parent != "0":
                self.attachment_pages.append((url, parent))
        relative = (
            item["meta"].get("_wp_attached_file")
            or item.get("wp:attachment_url", "").partition("/wp-content/uploads/")[2]
        )
        if Path(relative).suffix.lower() not in IMAGE_SUFFIXES:
            self.report.add("photos", "skipped", source_id, f"“{relative or item.get('title', '')}” is not an image")
            return
        fields = {
            "caption": plain_text(item.get("excerpt:encoded", ""))[:500],
            "alt_text": (
                plain_text(item["meta"].get("_wp_attachment_image_alt", ""))
                or plain_text(item.get("title", ""))
                or "Photo"
            )[:300],
            "credit": self._credit(item["meta"].get("_wp_attachment_metadata", ""))[:120],
        }
        digest = digest_of([relative, fields])
        known = ImportedItem.objects.filter(source=self.source, kind="photo", source_id=source_id).first()
        photo = Photo.objects.filter(pk=known.object_id).first() if known else None
        if photo and known.digest == digest:
            self.report.add("photos", "unchanged")
        elif photo:
            Photo.objects.filter(pk=photo.pk).update(**fields)
            known.digest = digest
            known.save(update_fields=["digest"])
            self.report.add("photos", "updated")
        else:
            photo = self._new_photo(source_id, relative, fields, digest, known)
        if photo:
            url = item.get("wp:attachment_url", "")
            self.photos.add(source_id, url, photo.image.url, fields["alt_text"], fields["caption"], photo.pk)

    def _new_photo(self, source_id, relative, fields, digest, known):
        if self.media_dir is None:
            self.report.add("photos", "skipped", source_id, "no --media-dir given to take the file from")
            return None
        file_path = (self.media_dir / relative).resolve()
        if not file_path.is_relative_to(self.media_dir) or not file_path.is_file():
            self.report.add("photos", "failed", source_id, f"file “{relative}” not found in the media directory")
            return None
        if self.dry_run:
            self.report.add("photos", "created")
            return None
        try:
            with transaction.atomic(), file_path.open("rb") as handle:
                photo = Photo(**fields)
                photo.image = File(handle, name=file_path.name)
                photo.save(renditions=not self.defer_renditions)
                if known:
                    known.object_id, known.digest = photo.pk, digest
                    known.save(update_fields=["object_id", "digest"])
                else:
                    ImportedItem.objects.create(
                        source=self.source, kind="photo", source_id=source_id, object_id=photo.pk, digest=digest
                    )
        except Exception as error:  # noqa: BLE001 — any unreadable image is one failed item, not a failed import
            self.report.add("photos", "failed", source_id, f"“{relative}” could not be read as a photo: {error}")
            return None
        self.report.add("photos", "created")
        return photo

    @staticmethod
    def _credit(metadata):
        match = CREDIT.search(metadata)
        return match[1] if match else ""

    # Posts.

    def post_records(self):
        for item in self.items(skip="attachment"):
            post_type = item.get("wp:post_type", "post").strip()
            if post_type != "post":
                yield ("other", "skipped", item.get("wp:post_id", "?"), f"a “{post_type}”, not a post")
                continue
            try:
                yield self.story_record(item)
            except Malformed as error:
                yield ("stories", "failed", item.get("wp:post_id", "?") or "?", str(error))

    def story_record(self, item):
        source_id = post_id(item)
        wp_status = item.get("wp:status", "").strip()
        if wp_status not in STATUSES:
            return ("stories", "skipped", source_id, f"status “{wp_status}” is not imported")
        status = STATUSES[wp_status]
        publish_at = parse_date(item.get("wp:post_date_gmt"), item.get("wp:post_date"))
        if status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED) and publish_at is None:
            raise Malformed("a published post without a date")
        if status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
            publish_at = None
        categories = [c for c in item["categories"] if c["domain"] == "category" and c["slug"] != "uncategorized"]
        tags = [c for c in item["categories"] if c["domain"] == "post_tag"]
        section = (
            (categories[0]["slug"] or slugify(categories[0]["name"]), categories[0]["name"]) if categories else ("", "")
        )
        headline = plain_text(item.get("title", ""))[:200] or f"Untitled post {source_id}"
        slug = slugify(unquote(item.get("wp:post_name", ""))) or slugify(headline) or f"post-{source_id}"
        thumbnail = self.photos.find(item["meta"].get("_thumbnail_id", "").strip())
        login = item.get("dc:creator", "").strip()
        body = convert.to_body(item.get("content:encoded", ""), self.photos)
        return StoryRecord(
            source_id=source_id,
            headline=headline,
            slug=slug[:200],
            standfirst=plain_text(item.get("excerpt:encoded", ""))[:600],
            body=body.html,
            body_photos=body.photos,
            status=status,
            publish_at=publish_at,
            section=section,
            tags=[(c["slug"], c["name"]) for c in categories[1:] + tags],
            authors=[(login, self.authors_by_login.get(login) or login)] if login else [],
            comments_open=item.get("wp:comment_status", "open") == "open",
            featured=item.get("wp:is_sticky", "0") == "1",
            lead_photo_id=self._photo_pk(thumbnail),
            legacy_urls=[url for url in (item.get("link", ""), item.get("guid", ""), f"/?p={source_id}") if url],
            comments=list(self.comment_records(source_id, item["comments"])),
        )

    def _photo_pk(self, entry):
        if not entry:
            return None
        return entry[3]

    def comment_records(self, post, comments):
        for comment in comments:
            source_id = f"{post}:{comment.get('comment_id', '').strip()}"
            status = COMMENT_STATUSES.get(comment.get("comment_approved", "").strip())
            kind = comment.get("comment_type", "").strip()
            if kind in ("pingback", "trackback"):
                self.report.add("comments", "skipped", source_id, f"a {kind}")
                continue
            if status is None:
                self.report.add("comments", "skipped", source_id, f"status “{comment.get('comment_approved')}”")
                continue
            try:
                created = parse_date(comment.get("comment_date_gmt"), comment.get("comment_date"))
            except Malformed as error:
                self.report.add("comments", "failed", source_id, str(error))
                continue
            body = plain_text(comment.get("comment_content", ""))
            if not body or created is None:
                self.report.add("comments", "failed", source_id, "no text" if not body else "no date")
                continue
            email = comment.get("comment_author_email", "").strip().lower()
            yield CommentRecord(
                source_id=source_id,
                parent_id=f"{post}:{comment.get('comment_parent', '0').strip()}",
                author_name=plain_text(comment.get("comment_author", "")),
                email=email if "@" in email and len(email) <= 254 else "",
                body=body,
                status=status,
                created=created,
                ip=comment.get("comment_author_IP", "").strip(),
            )
