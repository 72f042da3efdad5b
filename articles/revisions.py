"""Revisions of stories: what is recorded, a story's state in words, and the differences between two states.

Every save of a story is recorded by django-reversion as one revision holding
the story and what follows it (bylines, "Also read" links, photos in the
body, corrections; tags ride along in the story's own record). A state
("snapshot") is read either from such a revision or from the database as it
is now, in the same shape, so that the history page, a restore and an edit
conflict all compare like with like.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

import reversion
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError
from reversion.models import Version

from photos.models import Photo

from .models import AlsoRead, Article, Author, BodyPhoto, Byline, Correction, Section, Tag

STORY_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "section",
    "lead_photo",
    "tags",
    "status",
    "publish_at",
    "featured",
    "comments_open",
    "withdrawal_note",
    "updated_at",
    "version",
    "assigned_to",
]
FOLLOWED = ["bylines", "also_read_links", "body_photos", "corrections"]

# What the history page and the conflict message compare, in the order they show it.
LABELS = {
    "headline": _("Headline"),
    "slug": _("Slug"),
    "standfirst": _("Standfirst"),
    "body": _("Body"),
    "section": _("Section"),
    "bylines": _("Byline"),
    "lead_photo": _("Lead photo"),
    "tags": _("Tags"),
    "also_read": _("“Also read” links"),
    "body_photos": _("Photos in the body"),
    "corrections": _("Corrections"),
    "status": _("Status"),
    "publish_at": _("Publication time"),
    "featured": _("Top story"),
    "comments_open": _("Comments open"),
}
# What a restore brings back: the text and what it shows. Status, time and corrections stay as they are.
RESTORED = ["headline", "standfirst", "body", "section", "lead_photo", "tags", "bylines", "also_read", "body_photos"]


def register():
    """Record stories with what belongs to them, and photos' words (not their files or crops)."""
    reversion.register(Article, fields=STORY_FIELDS, follow=FOLLOWED)
    for model in (Byline, AlsoRead, BodyPhoto, Correction):
        reversion.register(model)


@dataclass
class Snapshot:
    """A story's state with references as ids; ``words`` names them once ``Names`` has loaded them."""

    fields: dict
    bylines: list = field(default_factory=list)  # [(order, author id)]
    also_read: list = field(default_factory=list)  # [(after, order, target id)]
    body_photos: list = field(default_factory=list)  # [(after, order, photo id)]
    corrections: list = field(default_factory=list)  # [(created_at, kind, text)]

    @classmethod
    def of_revision(cls, revision_versions, article_id):
        """The state recorded in one revision, from its versions (``content_type`` selected with them)."""
        rows = {}
        for version in revision_versions:
            rows.setdefault(version.content_type.model_class(), []).append(version)
        try:
            story = next(v for v in rows.get(Article, []) if v.object_id == str(article_id))
            snapshot = cls(fields=dict(story.field_dict))
            for data in _rows_of(rows.get(Byline, []), article_id):
                snapshot.bylines.append((data["order"], data["author_id"]))
            for data in _rows_of(rows.get(AlsoRead, []), article_id):
                snapshot.also_read.append((data["after_paragraph"], data["order"], data["target_id"]))
            for data in _rows_of(rows.get(BodyPhoto, []), article_id):
                snapshot.body_photos.append((data["after_paragraph"], data["order"], data["photo_id"]))
            for data in _rows_of(rows.get(Correction, []), article_id):
                snapshot.corrections.append((data["created_at"], data["kind"], data["text"]))
        except (StopIteration, KeyError, RevertError):
            return None
        return snapshot.sorted()

    @classmethod
    def of_article(cls, article):
        """The story as it is stored now."""
        attnames = [Article._meta.get_field(name).attname for name in STORY_FIELDS if name != "tags"]
        values = {name: getattr(article, name) for name in attnames}
        values["tags"] = list(article.tags.values_list("pk", flat=True))
        return cls(
            fields=values,
            bylines=list(article.bylines.values_list("order", "author_id")),
            also_read=list(article.also_read_links.values_list("after_paragraph", "order", "target_id")),
            body_photos=list(article.body_photos.values_list("after_paragraph", "order", "photo_id")),
            corrections=list(article.corrections.values_list("created_at", "kind", "text")),
        ).sorted()

    def sorted(self):
        for name in ("bylines", "also_read", "body_photos", "corrections"):
            setattr(self, name, sorted(getattr(self, name), key=lambda row: tuple(str(part) for part in row)))
        self.fields["tags"] = sorted(self.fields.get("tags") or [])
        return self

    def references(self):
        """{model: ids} this state points to."""
        return {
            Section: {self.fields.get("section_id")},
            Photo: {self.fields.get("lead_photo_id")} | {row[2] for row in self.body_photos},
            Tag: set(self.fields["tags"]),
            Author: {row[1] for row in self.bylines},
            Article: {row[2] for row in self.also_read},
        }

    def words(self, names):
        """{field: text} of what the history page compares, references named by ``names``."""
        values = self.fields
        status = values.get("status")
        return {
            "headline": values.get("headline", ""),
            "slug": values.get("slug", ""),
            "standfirst": values.get("standfirst", ""),
            "body": body_text(values.get("body", "")),
            "section": names.name(Section, values.get("section_id")),
            "bylines": "\n".join(names.name(Author, author) for _order, author in self.bylines),
            "lead_photo": names.name(Photo, values.get("lead_photo_id")),
            "tags": ", ".join(sorted(names.name(Tag, tag) for tag in values["tags"])),
            "also_read": "\n".join(
                gettext("%(headline)s (after paragraph %(after)s)")
                % {"headline": names.name(Article, target), "after": after}
                for after, _order, target in self.also_read
            ),
            "body_photos": "\n".join(
                gettext("%(photo)s (after paragraph %(after)s)") % {"photo": names.name(Photo, photo), "after": after}
                for after, _order, photo in self.body_photos
            ),
            "corrections": "\n".join(
                f"{Correction.Kind(kind).label} ({moment(created)}): {text}" for created, kind, text in self.corrections
            ),
            "status": str(Article.Status(status).label) if status in Article.Status.values else status or "",
            "publish_at": moment(values.get("publish_at")),
            "featured": yes_no(values.get("featured")),
            "comments_open": yes_no(values.get("comments_open")),
        }


def _rows_of(versions, article_id):
    """The recorded fields of the rows of one story (a revision of a bulk action holds several stories)."""
    return [data for data in (version.field_dict for version in versions) if data["article_id"] == article_id]


def yes_no(value):
    return gettext("yes") if value else gettext("no")


def moment(value):
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


class Names:
    """The names of what some states point to, loaded in one query per kind whatever their number."""

    LABEL = {Section: "name", Photo: "caption", Tag: "name", Author: "name", Article: "headline"}

    def __init__(self, snapshots):
        wanted = {}
        for snapshot in snapshots:
            for model, ids in snapshot.references().items():
                wanted.setdefault(model, set()).update(pk for pk in ids if pk is not None)
        self.found = {
            model: dict(model._base_manager.filter(pk__in=ids).values_list("pk", self.LABEL[model])) if ids else {}
            for model, ids in wanted.items()
        }

    def name(self, model, pk):
        if pk is None:
            return ""
        try:
            return self.found[model][pk] or f"#{pk}"
        except KeyError:
            return gettext("(deleted: %(kind)s #%(id)s)") % {"kind": model._meta.verbose_name, "id": pk}

    def missing(self, snapshot, wanted=RESTORED):
        """What ``snapshot`` points to that no longer exists, among the parts a restore brings back, in words."""
        parts = {
            "section": [(Section, snapshot.fields.get("section_id"))],
            "lead_photo": [(Photo, snapshot.fields.get("lead_photo_id"))],
            "tags": [(Tag, tag) for tag in snapshot.fields["tags"]],
            "bylines": [(Author, row[1]) for row in snapshot.bylines],
            "also_read": [(Article, row[2]) for row in snapshot.also_read],
            "body_photos": [(Photo, row[2]) for row in snapshot.body_photos],
        }
        return [
            gettext("%(part)s: %(kind)s #%(id)s was deleted")
            % {"part": LABELS[name], "kind": model._meta.verbose_name, "id": pk}
            for name in wanted
            for model, pk in parts.get(name, [])
            if pk is not None and pk not in self.found.get(model, {})
        ]


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figure|figcaption|pre)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# Words with the space before them: a word at the end of a line still matches the same word followed by more.
_TOKEN = re.compile(r"\s*\S+|\s+")


def body_text(markup):
    """The words of a sanitized body, one paragraph a line, for a word-level comparison."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", markup or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old, new):
    """Two escaped HTML strings, ``old`` with removed words in <del> and ``new`` with added ones in <ins>."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, before, after)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(before[i1:i2])), escape("".join(after[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (every piece escaped above)


@dataclass
class Change:
    name: str
    label: str
    old: str
    new: str

    def columns(self):
        return word_diff(self.old, self.new)


def changes(old, new, names):
    """The fields that differ between two states, as ``Change`` rows in the page's order."""
    before, after = old.words(names), new.words(names)
    return [Change(name, LABELS[name], before[name], after[name]) for name in LABELS if before[name] != after[name]]


def versions_of(article):
    """The story's own versions, newest first, with each revision and its author."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def snapshots(revisions, article_id):
    """{revision id: Snapshot} of these revisions, read in one query."""
    grouped = {}
    rows = Version.objects.filter(revision__in=revisions).select_related("content_type")
    for version in rows:
        grouped.setdefault(version.revision_id, []).append(version)
    return {revision_id: Snapshot.of_revision(rows, article_id) for revision_id, rows in grouped.items()}


def loaded_revision(article, version_number, look_back=50):
    """The newest revision whose record of the story has ``version``: the state an editor's form was loaded from."""
    for version in versions_of(article)[:look_back]:
        try:
            if version.field_dict.get("version") == version_number:
                return version.revision
        except RevertError:
            continue
    return None


class Conflict:
    """What others saved since an editor loaded version ``loaded`` of the story, for the refusal to save over it."""

    def __init__(self, article, loaded):
        self.article = article
        revision = loaded_revision(article, loaded)
        newer = versions_of(article)
        if revision is not None:
            newer = newer.filter(revision__date_created__gt=revision.date_created)
        self.saves = [version.revision for version in newer[:10]]
        current = Snapshot.of_article(article)
        before = snapshots([revision], article.pk).get(revision.pk) if revision else None
        names = Names([current] + ([before] if before else []))
        self.changes = changes(before, current, names) if before else None

    @property
    def rows(self):
        return [(change, *change.columns()) for change in self.changes or []]
