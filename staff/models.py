from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """What a staff account did that matters if it was hijacked: signing in, and putting stories out or down.

    Rows are only ever added; the admin shows them read-only. The username is
    kept as typed (a failed sign-in has no user) and survives the account.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login-failed", _("Sign-in refused")
        LOGOUT = "logout", _("Signed out")
        TWO_FACTOR_ON = "2fa-on", _("Set up two-factor")
        BACKUP_CODES = "2fa-codes", _("New backup codes")
        PUBLISH = "publish", _("Published")
        SCHEDULE = "schedule", _("Scheduled")
        WITHDRAW = "withdraw", _("Withdrew")
        RESTORE = "restore", _("Restored a revision")

    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "-created"], name="audit_action_created")]

    def __str__(self):
        return (
            _("%(who)s: %(action)s %(object)s")
            % {"who": self.username or _("someone"), "action": self.get_action_display(), "object": self.object_repr}
        ).strip()
