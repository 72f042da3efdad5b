import datetime
import hashlib
import re

from django.conf import settings
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Case, Count, F, Min, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from pagecache.fragments import remembered
from pagecache.invalidation import ShownOnPages, invalidate

from . import notifications

LINK_PATTERN = re.compile(r"https?://|www\.", re.IGNORECASE)


def count_links(text):
    return len(LINK_PATTERN.findall(text))


def body_digest(body):
    """Fingerprint of a comment's words, blind to case and spacing, to spot re-posts."""
    return hashlib.sha256(" ".join(body.lower().split()).encode()).hexdigest()


def normalize_email(email):
    """The one spelling of an address that bans, trust and records are looked up by."""
    return email.strip().lower()


# Why a moderator rejects a comment: one list for the queue's actions, the desk and the change page.
REJECTION_REASONS = [
    ("Abusive or hateful", _("Abusive or hateful")),
    ("Off-topic", _("Off-topic")),
    ("Spam or advertising", _("Spam or advertising")),
    ("Possibly unlawful", _("Possibly unlawful (libel, contempt of court)")),
    ("Personal information", _("Shares personal information")),
    ("Impersonation", _("Impersonation")),
    ("Other", _("Other (explain below)")),
]


class DuplicateComment(Exception):
    """The same person already posted the same text on the same story."""


class CommenterBanned(Exception):
    """The commenter is banned or suspended, and the site says so (see COMMENTS_BANNED_SILENTLY)."""

    def __init__(self, ban):
        super().__init__(ban.refusal())
        self.ban = ban


class CommentSettings(ShownOnPages, models.Model):
    """Site-wide comment rules, one row, edited by moderators in the admin."""

    close_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Close comments on a story automatically this many days after it was published. "
            "Leave empty to keep them open until someone closes them."
        ),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("comment settings")

    def __str__(self):
        return str(_("Comment settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings row (one primary-key lookup), or the defaults if it was never saved."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def for_story(cls, article):
        """The settings, with ``story_mode`` set to the story's moderation mode, in one query.

        The query starts from the story, so it answers whether or not the
        settings row or the story's mode were ever saved.
        """
        return cls._from_row(cls._row_for(article))

    @classmethod
    def for_story_page(cls, article, request):
        """``for_story``, kept as a fragment for most renders of the story page (pagecache.fragments): valid
        while the story's comment tag and the page generation are unchanged, as its stored pages are, so
        that a changed setting (a new generation) or story mode (its tag) shows on the next render."""
        tags = [f"comments:{article.pk}"]
        return cls._from_row(remembered(request, f"comment-rules:{article.pk}", tags, lambda: cls._row_for(article)))

    @classmethod
    def _names(cls):
        return [field.attname for field in cls._meta.concrete_fields if not field.primary_key]

    @classmethod
    def _row_for(cls, article):
        return (
            Article.objects.filter(pk=article.pk)
            .values(
                story_mode=models.Subquery(StoryModeration.objects.filter(article=OuterRef("pk")).values("mode")[:1]),
                **{name: models.Subquery(cls.objects.filter(pk=1).values(name)[:1]) for name in cls._names()},
            )
            .first()
            or {}
        )

    @classmethod
    def _from_row(cls, row):
        found = cls(pk=1)
        for name in cls._names():
            if row.get(name) is not None:
                setattr(found, name, row[name])
        found.story_mode = row.get("story_mode") or StoryModeration.Mode.PRE
        return found

    def closes_at(self, article):
        if self.close_after_days is None or not article.publish_at:
            return None
        return article.publish_at + datetime.timedelta(days=self.close_after_days)

    def refusal(self, article):
        """Why a story takes no comments now, or None when it does."""
        if not article.is_live:
            return _("This story is not available, so it takes no comments.")
        if not article.comments_open or getattr(self, "story_mode", None) == StoryModeration.Mode.CLOSED:
            return _("Comments are closed on this story.")
        closes_at = self.closes_at(article)
        if closes_at and closes_at <= timezone.now():
            closed = ngettext(
                "Comments close %(days)d day after a story is published; this story's are closed.",
                "Comments close %(days)d days after a story is published; this story's are closed.",
                self.close_after_days,
            )
            return closed % {"days": self.close_after_days}
        return None


class Commenter(models.Model):
    """What moderators know about one commenter, found by email: how far to trust them, and notes."""

    class Trust(models.TextChoices):
        NORMAL = "normal", _("Normal (the story's moderation mode applies)")
        PREMODERATE = "premoderate", _("Always pre-moderate")
        TRUSTED = "trusted", _("Trusted (published at once)")

    email = models.EmailField(_("email"), unique=True)
    trust = models.CharField(_("trust"), max_length=12, choices=Trust.choices, default=Trust.NORMAL)
    note = models.TextField(
        _("moderator notes"), blank=True, help_text=_("Who this is, and what moderators should know.")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("commenter")
        verbose_name_plural = _("commenters")
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


class StoryModeration(ShownOnPages, models.Model):
    """How one story's comments are moderated; a story without a row is pre-moderated."""

    class Mode(models.TextChoices):
        PRE = "pre", _("Pre-moderated: shown once a moderator approves")
        POST = "post", _("Post-moderated: shown at once, moderated after")
        CLOSED = "closed", _("Closed: no new comments")

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, primary_key=True, related_name="moderation"
    )
    mode = models.CharField(_("mode"), max_length=6, choices=Mode.choices, default=Mode.PRE)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("story moderation")

    def __str__(self):
        return f"{self.article}: {self.get_mode_display()}"

    def changed_tags(self):
        """The story's comment form."""
        return [f"comments:{self.article_id}"]


def word_pattern(word):
    """A banned word or phrase matched whole, in any case."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def highlight(text, words):
    """The text, escaped, with every banned word in it marked for a moderator's eye."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(f"(?:{word_pattern(word).pattern})" for word in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(format_html("{}<mark>{}</mark>", text[last : match.start()], match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every part is escaped above


class BanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))

    def matching(self, email, ip_hash):
        """Active bans on this email or this IP hash, the longest first."""
        who = Q(email=email) if email else Q(pk__in=[])
        if ip_hash:
            who |= Q(ip_hash=ip_hash)
        return self.active().filter(who).order_by(F("until").desc(nulls_first=True))


class Ban(models.Model):
    """A commenter kept out, by email or by IP hash, for some days (a suspension) or for good."""

    email = models.EmailField(_("email"), blank=True, db_index=True)
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True, db_index=True)
    until = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: banned for good."))
    reason = models.CharField(_("reason"), max_length=200, blank=True, help_text=_("Seen by moderators only."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("banned commenter")
        constraints = [
            models.CheckConstraint(condition=~Q(email="", ip_hash=""), name="ban_names_someone"),
        ]

    def __str__(self):
        who = self.email or _("IP hash %(hash)s…") % {"hash": self.ip_hash[:12]}
        return f"{who}, {self.duration_text()}"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @classmethod
    def for_days(cls, days, **fields):
        """A ban for ``days`` days from now, or for good when days is None."""
        until = timezone.now() + datetime.timedelta(days=days) if days else None
        return cls.objects.create(until=until, **fields)

    def duration_text(self):
        if self.until is None:
            return gettext("for good")
        return gettext("until %(time)s") % {
            "time": date_format(timezone.localtime(self.until), "SHORT_DATETIME_FORMAT")
        }

    def refusal(self):
        """The polite message a banned commenter gets."""
        if self.until is None:
            return gettext("Your comments are no longer accepted on this site.")
        return gettext("Your comments are not accepted at the moment; you can comment again after %(date)s.") % {
            "date": date_format(timezone.localtime(self.until))
        }


class BannedWordQuerySet(models.QuerySet):
    def verdict(self, *texts):
        """The harshest action a banned word in the texts calls for, or None."""
        found = None
        for word in self.all():
            pattern = word_pattern(word.word)
            if any(pattern.search(text) for text in texts):
                if word.action == BannedWord.Action.SPAM:
                    return Comment.Status.SPAM
                found = Comment.Status.PENDING
        return found


class BannedWord(models.Model):
    class Action(models.TextChoices):
        SPAM = "spam", _("Send to spam")
        REVIEW = "review", _("Hold for review (even from trusted commenters)")

    word = models.CharField(
        _("word"), max_length=100, unique=True, help_text=_("A word or phrase, matched as a whole, any case.")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.REVIEW)

    objects = BannedWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")
        ordering = ["word"]

    def __str__(self):
        return self.word


# What the moderation queue opens on, and its order: pending comments, then those with open
# reader reports or published unreviewed on a post-moderated story, oldest first. One partial
# index holds these rows in this order.
NEEDS_ATTENTION = Q(status="pending") | Q(open_flags__gt=0) | Q(awaiting_review=True)
ATTENTION_ORDER = (Case(When(status="pending", then=Value(0)), default=Value(1)), "created", "id")


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def shown_on(self, article, own_pending=()):
        """What a reader sees under a story: approved comments, plus their own awaiting ones."""
        return (
            self.filter(article=article)
            .filter(Q(status=Comment.Status.APPROVED) | Q(status=Comment.Status.PENDING, pk__in=list(own_pending)))
            .only("article_id", "parent_id", "author_name", "body", "status", "created")
            .order_by("created", "id")
        )

    def approved_counts(self, article_ids):
        """{article id: number of approved comments}, in one query."""
        rows = self.approved().filter(article_id__in=article_ids).values("article_id").annotate(n=Count("id"))
        return {row["article_id"]: row["n"] for row in rows}

    def needs_attention(self):
        """What awaits a moderator: pending comments and those with open reader reports."""
        return self.filter(NEEDS_ATTENTION)

    def for_moderation(self):
        """The queue's rows, with the story, parent and moderator each row shows."""
        return self.select_related("article__section", "parent", "moderated_by")

    def attach_author_records(self, comments):
        """Give each comment its author's record (approved, rejected, spam, first seen), in one query.

        Run on the rows of a page once they are known, so deep pages do not
        count the record of every row they skip.
        """
        comments = list(comments)
        rows = (
            self.filter(email__in={comment.email for comment in comments})
            .order_by()
            .values_list("email", "status")
            .annotate(n=Count("id"), first=Min("created"))
        )
        counts, first_seen = {}, {}
        for email, status, n, first in rows:
            counts[email, status] = n
            first_seen[email] = min(first, first_seen.get(email, first))
        for comment in comments:
            comment.author_approved = counts.get((comment.email, Comment.Status.APPROVED), 0)
            comment.author_rejected = counts.get((comment.email, Comment.Status.REJECTED), 0)
            comment.author_spam = counts.get((comment.email, Comment.Status.SPAM), 0)
            comment.author_first_seen = first_seen.get(comment.email, comment.created)
        return comments

    def attach_commenters(self, comments):
        """Give each comment ``commenter``: what moderators noted about its author (or None), in one query."""
        comments = list(comments)
        known = {c.email: c for c in Commenter.objects.filter(email__in={comment.email for comment in comments})}
        for comment in comments:
            comment.commenter = known.get(comment.email)
        return comments

    def attach_open_reports(self, comments):
        """Give each comment ``open_reports``: [(reason label, number of readers)], in one query."""
        comments = list(comments)
        rows = (
            Flag.objects.filter(comment__in=[c for c in comments if c.open_flags], resolved=False)
            .order_by()
            .values_list("comment_id", "reason")
            .annotate(n=Count("id"))
        )
        reports = {}
        for comment_id, reason, n in rows:
            reports.setdefault(comment_id, []).append((Flag.Reason(reason).label, n))
        for comment in comments:
            comment.open_reports = sorted(reports.get(comment.pk, []), key=lambda report: -report[1])
        return comments

    def estimated_total(self):
        """PostgreSQL's estimate of the number of comments (None elsewhere): free, where a count reads them all."""
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            table = self.model._meta.db_table
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
            return cursor.fetchone()[0]  # -1 until the table is first analysed

    def moderate(self, status, user, reason=""):
        """Set the status of these comments, record who did it in the audit log, and settle their flags.

        Every decision goes through here: the queue's actions, the change page
        and the desk. The rows are locked while they are decided (on
        PostgreSQL), so two moderators deciding at once decide each comment
        once, and the log counts what was done, not what was asked. Stored
        pages are made stale only if an approved comment appears or disappears.
        """
        now = timezone.now()
        with transaction.atomic():
            rows = list(self.select_for_update().values_list("pk", "status", "article_id"))
            before = {pk: status for pk, status, _ in rows}
            stories = {article_id for _, _, article_id in rows}
            ids = list(before)
            count = Comment.objects.filter(pk__in=ids).update(
                status=status, moderated_by=user, moderated_at=now, reason=reason, open_flags=0, awaiting_review=False
            )
            Flag.objects.filter(comment_id__in=ids, resolved=False).update(resolved=True)
            Decision.objects.bulk_create(
                Decision(comment_id=pk, moderator=user, action=status, reason=reason, created=now) for pk in ids
            )
            if status == Comment.Status.APPROVED:
                newly = [pk for pk, old in before.items() if old != Comment.Status.APPROVED]
                if newly:
                    notifications.queue_for_approved(
                        Comment.objects.filter(pk__in=newly).select_related("article__section", "parent")
                    )
            if status == Comment.Status.APPROVED or Comment.Status.APPROVED in before.values():
                # An approved comment taken down must not be served again from a stale copy.
                removed = status != Comment.Status.APPROVED
                invalidate([f"comments:{pk}" for pk in stories], self.db, urgent=removed)
        return count


class Comment(ShownOnPages, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    # Comments are never deleted along with what they hang on: withdraw a story instead.
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies", verbose_name=_("in reply to")
    )
    author_name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown to readers."))
    body = models.TextField(_("comment"))
    body_digest = models.CharField(_("body digest"), max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    reason = models.CharField(
        _("reason"), max_length=300, blank=True, help_text=_("Why it was rejected, marked spam or held.")
    )
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True, editable=False)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True, editable=False)
    open_flags = models.PositiveIntegerField(
        _("open reports"), default=0, editable=False, help_text=_("Reader reports a moderator has not settled yet.")
    )
    notify = models.BooleanField(
        _("email me"), default=False, help_text=_("The commenter asked for an email on approval and on replies.")
    )
    awaiting_review = models.BooleanField(
        _("awaiting review"),
        default=False,
        editable=False,
        help_text=_("Published at once on a post-moderated story; not yet reviewed."),
    )

    objects = CommentQuerySet.as_manager()
    # Readers see approved comments only: other saves leave stored pages alone (see ShownOnPages).
    shown_fields = ("status",)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created"], name="comment_article_status"),
            models.Index(fields=["status", "created"], name="comment_queue"),
            models.Index(fields=["email", "status"], name="comment_author_history"),
            models.Index(*ATTENTION_ORDER, condition=NEEDS_ATTENTION, name="comment_attention"),
            models.Index(*ATTENTION_ORDER, condition=Q(open_flags__gt=0), name="comment_reported"),
            models.Index(fields=["created", "id"], name="comment_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "email", "body_digest"], name="comment_no_duplicates"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.body_digest = body_digest(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def moderate(self, status, user, reason="", waiting=False):
        """Decide this comment; with ``waiting``, only if it still awaits a decision.

        True when it was decided now. A repeated or stale decision (someone
        else decided first) changes nothing and is not logged twice.
        """
        comments = Comment.objects.filter(pk=self.pk)
        if waiting:
            comments = comments.needs_attention()
        return comments.moderate(status, user, reason) == 1

    def submit(self, mode=None):
        """Store a reader's new comment, screened, or raise DuplicateComment.

        The email comes normalised from the form. The unique constraint on the
        body's digest (computed once, in save) settles identical posts, racing
        or not; anything else that reaches here is committed before the reader
        is told so.
        """
        self.status, self.reason = self.screen(mode)
        if self.status == self.Status.APPROVED and not self.awaiting_review:
            self.moderated_at = timezone.now()
        try:
            with transaction.atomic():
                self.save()
                if self.status == self.Status.APPROVED:
                    notifications.queue_for_approved([self])
        except IntegrityError as error:
            raise DuplicateComment from error

    def screen(self, mode):
        """(status, reason) for a new comment: bans, banned words, the commenter's trust, the story's mode."""
        ban = Ban.objects.matching(self.email, self.ip_hash).first()
        if ban:
            if not settings.COMMENTS_BANNED_SILENTLY:
                raise CommenterBanned(ban)
            return self.Status.SPAM, gettext("Banned commenter (%(ban)s).") % {"ban": ban.duration_text()}
        verdict = BannedWord.objects.verdict(self.body, self.author_name)
        if verdict == self.Status.SPAM:
            return self.Status.SPAM, gettext("Contains a banned word.")
        if verdict == self.Status.PENDING:
            return self.Status.PENDING, gettext("Held for review: contains a banned word.")
        trust = Commenter.objects.filter(email=self.email).values_list("trust", flat=True).first()
        if trust == Commenter.Trust.TRUSTED:
            return self.Status.APPROVED, gettext("Trusted commenter.")
        if trust != Commenter.Trust.PREMODERATE and mode == StoryModeration.Mode.POST:
            self.awaiting_review = True
            return self.Status.APPROVED, gettext("Post-moderated story.")
        return self.Status.PENDING, ""

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def reports_capped(self):
        """So many readers reported it that further reports are not stored: a moderator should decide now."""
        return self.open_flags >= settings.COMMENTS_REPORT_CAP

    def is_shown(self):
        return self.is_approved

    def changed_tags(self):
        """The story's page, and the cards that show its comment count."""
        return [f"comments:{self.article_id}"]


class FlagQuerySet(models.QuerySet):
    def report(self, comment, ip_hash, reason):
        """Store one reader's report on a comment, once per reader, and no more than COMMENTS_REPORT_CAP.

        At the cap the comment is already in front of the moderators, marked
        as having reached it (``Comment.reports_capped``): further reports add
        nothing for them to read, so they are counted as heard and not stored.
        """
        with transaction.atomic():
            if self.filter(comment=comment, ip_hash=ip_hash).exists():
                return Flag.Outcome.ALREADY
            # Locks the comment's row (PostgreSQL), so that racing reports cannot pass the cap together.
            open_flags = Comment.objects.select_for_update().filter(pk=comment.pk).values_list("open_flags", flat=True)
            if open_flags.get() >= settings.COMMENTS_REPORT_CAP:
                return Flag.Outcome.CAPPED
            try:
                with transaction.atomic():
                    self.create(comment=comment, ip_hash=ip_hash, reason=reason)
            except IntegrityError:  # the same reader, racing
                return Flag.Outcome.ALREADY
        return Flag.Outcome.STORED


class Flag(models.Model):
    """A reader's report that a published comment breaks the rules."""

    class Outcome(models.TextChoices):
        STORED = "stored"
        ALREADY = "already"
        CAPPED = "capped"

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PRIVACY = "privacy", _("Shares someone's personal information")
        LEGAL = "legal", _("Possibly unlawful (libel, contempt of court)")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    ip_hash = models.CharField(_("IP hash"), max_length=64, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    resolved = models.BooleanField(
        _("resolved"), default=False, help_text=_("Set when a moderator acts on the comment.")
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("reader report")
        constraints = [models.UniqueConstraint(fields=["comment", "ip_hash"], name="flag_once_per_reader")]

    def __str__(self):
        return f"{self.get_reason_display()} — comment {self.comment_id}"

    def save(self, *args, **kwargs):
        """A new report counts on its comment, where the moderation queue finds it through an index."""
        counts = self._state.adding and not self.resolved
        with transaction.atomic():
            super().save(*args, **kwargs)
            if counts:
                Comment.objects.filter(pk=self.comment_id).update(open_flags=F("open_flags") + 1)


class Decision(models.Model):
    """One moderator's decision on one comment, kept for good: the audit log."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        PENDING = "pending", _("Back to pending")

    comment = models.ForeignKey(Comment, verbose_name=_("comment"), on_delete=models.PROTECT, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("moderation decision")
        indexes = [
            models.Index(fields=["created", "id"], name="decision_created"),
            models.Index(fields=["moderator", "created"], name="decision_moderator"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: comment {self.comment_id}"


class OutboundEmail(models.Model):
    """An email to a reader, waiting to be sent or sent: the outbox (see notifications.py)."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    unsubscribe_url = models.URLField(_("unsubscribe url"), max_length=500)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("outbound email")
        indexes = [
            models.Index(fields=["created"], condition=Q(sent_at__isnull=True), name="outbox_unsent"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def message(self):
        return notifications.message(self)
