"""Admin lists of logs (moderation decisions, the audit log): read-only, and exportable as CSV with their filters."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path, reverse


class Echo:
    """A file-like object for csv.writer that hands each row back instead of storing it."""

    def write(self, value):
        return value


class CsvExportMixin:
    """Adds "Export as CSV" to a ModelAdmin's list: every row the filters select, not one page, streamed.

    The admin says what a row is with ``csv_header``, ``csv_row(obj)``,
    ``csv_filename`` and, for the related rows it reads, ``csv_select_related``.
    """

    change_list_template = "admin/csv_change_list.html"
    csv_select_related = []

    def _export_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_export"

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export.csv", export, name=self._export_name()), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        export = reverse(f"admin:{self._export_name()}") + (f"?{query}" if query else "")
        return super().changelist_view(request, {"export_url": export, **(extra_context or {})})

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request).select_related(*self.csv_select_related)
        writer = csv.writer(Echo())

        def lines():
            yield writer.writerow(self.csv_header)
            for obj in rows.iterator(chunk_size=2000):
                yield writer.writerow(self.csv_row(obj))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response


class ReadOnlyMixin:
    """A log is written by what it records, never through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
