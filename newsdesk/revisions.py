"""Admin pages that record a revision of what they save, with who saved it and the admin's own change message."""

import json

import reversion
from django.contrib.admin.models import LogEntry


class RevisionAdminMixin:
    """One revision per save of the change form: the object and whatever its registration follows."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        self._record(obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record(obj, message)
        return super().log_change(request, obj, message)

    def _record(self, obj, message):
        """Saved inlines and tags are all in place now: record the object again with them."""
        if not reversion.is_active():
            return
        reversion.add_to_revision(obj)
        if not reversion.get_comment():
            text = message if isinstance(message, str) else json.dumps(message)
            reversion.set_comment(LogEntry(change_message=text).get_change_message())
