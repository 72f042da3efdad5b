"""Legacy addresses and what each import brought in.

A Redirect sends an address the site never served itself (a WordPress
permalink, a ``?p=123`` link) to its story or elsewhere; the articles app's
own SlugRedirect keeps covering stories whose slug changed here.
ImportedItem remembers every item an import stored, by its id in the source,
so that running an import again updates what changed and skips the rest.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article


def legacy_path(url):
    """The part of an old address a request shows: its decoded path (as ``request.path``) and raw query."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path) or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{path}?{parts.query}" if parts.query else path


class RedirectQuerySet(models.QuerySet):
    def hit(self, paths):
        """Count a hit on the redirect for the first of ``paths`` found and return it, in one indexed query.

        An UPDATE ... RETURNING both finds the row through the unique index on
        ``old_path`` and records the hit (PostgreSQL and SQLite 3.35+).
        """
        connection = connections[self.db]
        table = self.model._meta.db_table
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(paths))
        sql = (
            f"UPDATE {quote(table)} SET {quote('hits')} = {quote('hits')} + 1, {quote('last_hit')} = %s "
            f"WHERE {quote('old_path')} IN ({placeholders}) "
            f"RETURNING {quote('id')}, {quote('old_path')}, {quote('kind')}, {quote('article_id')}, {quote('url')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [timezone.now(), *paths])
            rows = cursor.fetchall()
        if not rows:
            return None
        by_path = {row[1]: row for row in rows}
        row = next(by_path[path] for path in paths if path in by_path)
        return self.model(id=row[0], old_path=row[1], kind=row[2], article_id=row[3], url=row[4])


class Redirect(models.Model):
    class Kind(models.IntegerChoices):
        MOVED = 301, _("301 Moved permanently")
        FOUND = 302, _("302 Found (temporary)")
        GONE = 410, _("410 Gone")

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_("The path (and query, if any) as readers ask for it, e.g. /2019/05/03/hello-world/ or /?p=123."),
    )
    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices, default=Kind.MOVED)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="legacy_redirects",
        help_text=_("Send readers to this story (its address as it is now)."),
    )
    url = models.CharField(
        _("or to this address"), max_length=500, blank=True, help_text=_("A path on this site or a full URL elsewhere.")
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Where it came from, e.g. the WordPress import.")
    )
    hits = models.PositiveIntegerField(_("hits"), default=0, editable=False)
    last_hit = models.DateTimeField(_("last hit"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("legacy redirect")

    def __str__(self):
        return f"{self.old_path} → {self.destination_label()}"

    def clean(self):
        if self.old_path:
            self.old_path = legacy_path(self.old_path)
        if self.kind == self.Kind.GONE:
            if self.article_id or self.url:
                raise ValidationError(_("A gone address sends readers nowhere: leave the story and address empty."))
        elif bool(self.article_id) == bool(self.url):
            raise ValidationError(_("Choose either a story or an address to send readers to."))

    def destination_label(self):
        if self.kind == self.Kind.GONE:
            return "gone"
        return self.url or f"story {self.article_id}"


class ImportedItem(models.Model):
    """One item an import stored: the source's id for it, what it became and a digest of what it was."""

    source = models.CharField(_("source"), max_length=300, help_text=_("The site or feed the item came from."))
    kind = models.CharField(_("kind"), max_length=20)
    source_id = models.CharField(_("source id"), max_length=300)
    object_id = models.BigIntegerField(_("object id"))
    digest = models.CharField(_("digest"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "source_id"], name="imported_item_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.source_id} from {self.source}"
