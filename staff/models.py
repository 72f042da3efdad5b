from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """What a staff account did that matters if it was hijacked: signing in, and putting stories out or down.

    Rows are only ever added; the admin shows them read-only. The username is
    kept as typed (a failed sign-in has no user) and survives the account.
    """

    class Action(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login-failed", "Sign-in refused"
        LOGOUT = "logout", "Signed out"
        TWO_FACTOR_ON = "2fa-on", "Set up two-factor"
        BACKUP_CODES = "2fa-codes", "New backup codes"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        WITHDRAW = "withdraw", "Withdrew"
        RESTORE = "restore", "Restored a revision"

    created = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["action", "-created"], name="audit_action_created")]

    def __str__(self):
        return f"{self.username or 'someone'}: {self.get_action_display()} {self.object_repr}".strip()
