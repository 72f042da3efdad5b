"""The audit log's one entry point: ``audit.record(user, action, obj, note)``.

Other apps call it where something worth an audit happens (articles on
publish, schedule and withdraw; revisions on restore). Called inside the
transaction that makes the change, so a change rolled back leaves no entry.
"""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry

Action = AuditEntry.Action


def record(user, action, obj=None, note="", request=None, username=""):
    """Add one entry; ``user`` may be None (a refused sign-in), then ``username`` says who was tried."""
    entry = AuditEntry(action=action, note=note[:300])
    if user is not None and user.is_authenticated:
        entry.user, entry.username = user, user.get_username()
    else:
        entry.username = username[:150]
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id, entry.object_repr = str(obj.pk), str(obj)[:200]
    if request is not None:
        entry.ip_address = request.META.get("REMOTE_ADDR") or None
    entry.save()
    return entry
