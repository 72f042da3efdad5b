from django.contrib import admin
from django.utils import timezone

from newsdesk.admin_logs import CsvExportMixin, ReadOnlyMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, CsvExportMixin, admin.ModelAdmin):
    """Who signed in (or tried), and who put which story out or took it down. Read-only, exportable as CSV."""

    list_display = ["created", "username", "action", "object_repr", "note", "ip_address"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter), "action", "created"]
    search_fields = ["username", "object_repr", "note", "ip_address"]
    date_hierarchy = "created"
    show_full_result_count = False
    csv_filename = "audit-log.csv"
    csv_header = ["when", "user", "action", "object type", "object id", "object", "note", "ip address"]
    csv_select_related = ["content_type"]

    def csv_row(self, entry):
        return [
            timezone.localtime(entry.created).isoformat(),
            entry.username,
            entry.get_action_display(),
            entry.content_type.model if entry.content_type else "",
            entry.object_id,
            entry.object_repr,
            entry.note,
            entry.ip_address or "",
        ]
