"""The admin of front pages, the breaking-news banner and live updates (registered by articles.admin).

Curating is the Editor group's work: the model permissions of FrontPage,
Placement and BreakingNews are theirs alone (migration 0014). Reporters may
post live updates but not end live coverage, which needs ``publish_article``.
"""

import datetime

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsdesk.admin_autocomplete import ValidAutocompleteMixin
from newsdesk.admin_inlines import LabelledTabularInline

from .curation import BreakingNews, FrontPage, Placement
from .editor_admin import ProseEditorAdminMixin
from .forms import LiveUpdateForm
from .live import LiveUpdate


class SlotFormSet(BaseInlineFormSet):
    """Each empty slot offers the next position, so a story put in one joins the end of the order."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The fields of a table row have no <label>: the column heading is not one.
        form.fields["position"].widget.attrs.update(
            {
                "aria-label": _("Position (1 is the lead)"),
                # curation.js's buttons and names, in the site's language.
                "data-text-up": _("Up"),
                "data-text-down": _("Down"),
                "data-text-move-up": _("Move up: {headline}"),
                "data-text-move-down": _("Move down: {headline}"),
                "data-text-this-row": _("this row"),
                "data-text-slot": _("Story in slot {number}"),
            }
        )
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Take off the page")

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= self.initial_form_count():
            kwargs["initial"] = {"position": index + 1}
        return kwargs


class PlacementInline(LabelledTabularInline):
    """The slots of a front page, in order: drag the rows (curation.js) or type the positions."""

    model = Placement
    formset = SlotFormSet
    autocomplete_fields = ["article"]
    fields = ["article", "position", "status"]
    readonly_fields = ["status"]
    extra = 0
    verbose_name_plural = _("Placed stories (the first is the lead)")

    def get_extra(self, request, obj=None, **kwargs):
        return max(obj.slots - obj.placements.count(), 0) if obj else 0

    def get_max_num(self, request, obj=None, **kwargs):
        return obj.slots if obj else 0

    @admin.display(description=_("Shown"))
    def status(self, placement):
        if not placement.pk:
            return ""
        if placement.article.is_live:
            return _("Yes")
        return _("Not until it is live (%(status)s)") % {"status": placement.article.get_status_display().lower()}


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "placed"]
    inlines = [PlacementInline]
    readonly_fields = ["shown_now", "view_on_page"]
    fields = ["view_on_page", "shown_now"]

    class Media:
        js = ["js/curation.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section").prefetch_related("placements")

    def changelist_view(self, request, extra_context=None):
        FrontPage.objects.add_missing()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False  # Every page has one, made when the list of front pages is opened.

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Placed stories"))
    def placed(self, front_page):
        return _("%(placed)d of %(slots)d") % {"placed": len(front_page.placements.all()), "slots": front_page.slots}

    @admin.display(description=_("Page"))
    def view_on_page(self, front_page):
        return format_html('<a href="{}" target="_blank">{}</a>', front_page.get_absolute_url(), _("View the page"))

    @admin.display(description=_("Readers see now"))
    def shown_now(self, front_page):
        """The stories the page leads with, placed ones and those filling the empty slots, in order."""
        stories = front_page.shown()
        if not stories:
            return _("No live stories yet.")
        placed = {placement.article_id for placement in front_page.placements.all()}
        return format_html(
            "<ol class='curation-now'>{}</ol>",
            format_html_join(
                "",
                "<li>{} <span class='curation-now__why'>({})</span></li>",
                ((story.headline, _("placed") if story.pk in placed else _("newest")) for story in stories),
            ),
        )


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    list_display = ["text", "link", "expires_at", "is_current"]
    fields = ["text", "link", "expires_at"]
    actions = ["clear_now"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return {"expires_at": timezone.now() + datetime.timedelta(hours=2), **initial}

    @admin.display(description=_("Shown now"), boolean=True)
    def is_current(self, banner):
        return banner.is_current

    @admin.action(description=_("Clear selected banners now"), permissions=["change"])
    def clear_now(self, request, queryset):
        banners = list(queryset.current())
        for banner in banners:
            banner.clear()
        message = ngettext("Cleared %(count)d banner.", "Cleared %(count)d banners.", len(banners)) % {
            "count": len(banners)
        }
        self.message_user(request, message, messages.SUCCESS)


@admin.register(LiveUpdate)
class LiveUpdateAdmin(ValidAutocompleteMixin, ProseEditorAdminMixin, admin.ModelAdmin):
    """Posting an update takes a story, a text and one press; “Save and add another” stays on the story."""

    form = LiveUpdateForm
    list_display = ["__str__", "article", "posted_at", "author", "pinned"]
    list_filter = ["pinned", ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "author"]
    search_fields = ["headline", "body"]
    autocomplete_fields = ["article", "author", "photo"]
    date_hierarchy = "posted_at"

    class Media:
        js = ["photos/admin/photo-picker.js"]

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST:
            self.message_user(request, _("Posted “%(update)s”.") % {"update": obj}, messages.SUCCESS)
            return HttpResponseRedirect(f"{reverse('admin:articles_liveupdate_add')}?article={obj.article_id}")
        return super().response_add(request, obj, post_url_continue)
