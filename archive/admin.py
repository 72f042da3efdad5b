from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsdesk.admin_autocomplete import ValidAutocompleteMixin

from .csv_io import read_csv, write_csv
from .models import Redirect


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: old_path, status (301, 302 or 410), story_id, url, note. Existing addresses are updated."
        ),
    )


@admin.register(Redirect)
class RedirectAdmin(ValidAutocompleteMixin, admin.ModelAdmin):
    list_display = ["old_path", "kind", "destination", "hits", "last_hit"]
    list_filter = ["kind"]
    search_fields = ["old_path", "url", "article__headline"]
    autocomplete_fields = ["article"]
    fields = ["old_path", "kind", "article", "url", "note", "hits", "last_hit"]
    readonly_fields = ["hits", "last_hit"]
    actions = ["export_csv"]
    change_list_template = "admin/archive/redirect/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description=_("Sends readers to"))
    def destination(self, redirect_):
        if redirect_.kind == Redirect.Kind.GONE:
            return _("— gone —")
        return redirect_.article.headline if redirect_.article else redirect_.url

    def get_urls(self):
        return [
            path("import-csv/", self.admin_site.admin_view(self.import_csv), name="archive_redirect_import"),
            path("export-csv/", self.admin_site.admin_view(self.export_all_csv), name="archive_redirect_export"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Export selected redirects as CSV"))
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    def export_all_csv(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(Redirect.objects.all())

    @staticmethod
    def _csv_response(queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="redirects.csv"'
        write_csv(queryset.order_by("old_path"), response)
        return response

    def import_csv(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            stored, problems = read_csv(form.cleaned_data["file"].read())
            messages.success(request, ngettext("%d redirect stored.", "%d redirects stored.", stored) % stored)
            if not problems:
                return redirect("admin:archive_redirect_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import redirects from CSV"),
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return render(request, "admin/archive/redirect/import.html", context)
