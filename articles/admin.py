from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from newsdesk.admin_autocomplete import ValidAutocompleteMixin
from newsdesk.admin_inlines import LabelledTabularInline
from staff import audit

from .editor_admin import ProseEditorAdminMixin
from .forms import ArticleAdminForm, InBodyFormSet
from .models import AlsoRead, Article, Author, BodyPhoto, Byline, Correction, Section, Tag
from .workflow_admin import NewsroomWorkflowAdmin, recorded


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    ordering = ["name"]  # annotated querysets drop Meta.ordering
    list_display = ["name", "slug", "story_count"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(ordering="story_count", description=_("Stories"))
    def story_count(self, tag):
        return tag.story_count


@admin.register(Author)
class AuthorAdmin(ValidAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["photo"]


class BylineInline(LabelledTabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = _("author")
    verbose_name_plural = _("Byline (in order)")


class AlsoReadInline(LabelledTabularInline):
    model = AlsoRead
    fk_name = "article"
    formset = InBodyFormSet
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "after_paragraph", "order"]


class BodyPhotoInline(LabelledTabularInline):
    """Photos from the library inside the body; several after the same paragraph make a gallery."""

    model = BodyPhoto
    formset = InBodyFormSet
    extra = 0
    autocomplete_fields = ["photo"]
    fields = ["photo", "after_paragraph", "order"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]


# What goes to the audit log when a story is saved with a new status: putting it out, or taking it down.
AUDITED_STATUS = {
    Article.Status.PUBLISHED: audit.Action.PUBLISH,
    Article.Status.SCHEDULED: audit.Action.SCHEDULE,
    Article.Status.WITHDRAWN: audit.Action.WITHDRAW,
}


@admin.register(Article)
class ArticleAdmin(ValidAutocompleteMixin, ProseEditorAdminMixin, NewsroomWorkflowAdmin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "section", "status_label", "publish_at", "byline", "featured", "comments_open"]
    list_filter = ["status", "section", "featured", "authors", "publish_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "lead_photo", "social_image"]
    inlines = [BylineInline, BodyPhotoInline, AlsoReadInline, CorrectionInline]
    actions = ["publish_now", "schedule", "withdraw", "send_back", "end_live_coverage"]
    readonly_fields = ["updated_at", "preview_link", "desk_notes", "live_ended_at", "post_live_update"]

    class Media:
        js = ["photos/admin/photo-picker.js"]

    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "section", "body"]}),
        (_("Photo and tags"), {"fields": ["lead_photo", "tags", "new_tags"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "publish_at",
                    "featured",
                    "comments_open",
                    "updated_at",
                    "preview_link",
                    "withdrawal_note",
                ]
            },
        ),
        # The desk (workflow_admin.py): internal, never shown to readers.
        (_("Desk (internal)"), {"fields": ["assigned_to", "desk_notes", "new_note"]}),
        (_("Live coverage"), {"fields": ["live_coverage", "live_ended_at", "post_live_update"]}),
        (
            _("Search and social"),
            {
                "classes": ["collapse"],
                "description": _("Optional: each replaces what search engines and social sites are told by default."),
                "fields": ["social_headline", "social_image", "meta_description", "canonical_url", "noindex"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description=_("Byline"))
    def byline(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description=_("Status"), ordering="status")
    def status_label(self, article):
        if article.status == Article.Status.SCHEDULED and article.is_live:
            return _("Published (was scheduled)")
        return article.get_status_display()

    @admin.display(description=_("Preview"))
    def preview_link(self, article):
        if not article.pk:
            return _("Save the story to preview it.")
        label = _("View on site") if article.is_live else _("Preview")
        return format_html('<a href="{}" target="_blank">{}</a>', article.get_short_url(), label)

    @admin.display(description=_("Updates"))
    def post_live_update(self, article):
        if not (article.pk and article.live_running):
            return _("Updates can be posted while the story is live coverage that has not ended.")
        return format_html(
            '<a href="{}?article={}">{}</a>',
            reverse("admin:articles_liveupdate_add"),
            article.pk,
            _("Post a live update"),
        )

    def has_publish_permission(self, request):
        """Publishing rights live in one permission, held by the Editor group."""
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request, obj=None):
        """Reporters may edit their drafts, never a story that is out."""
        if obj is not None and obj.is_out and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_out and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (Article.Status.DRAFT, Article.Status.DRAFT.label),
                (Article.Status.IN_REVIEW, Article.Status.IN_REVIEW.label),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["publish_at", "featured"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.tags.add(*Tag.named(form.cleaned_data.get("new_tags", [])))

    def save_model(self, request, obj, form, change):
        if obj.is_out and not self.has_publish_permission(request):
            raise PermissionDenied
        status_changed = obj._loaded_value("status") != obj.status
        super().save_model(request, obj, form, change)
        if status_changed and obj.status in AUDITED_STATUS:
            audit.record(request.user, AUDITED_STATUS[obj.status], obj, note="on the story's page", request=request)

    @admin.action(description=_("Publish selected stories now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        stories = queryset.exclude(status=Article.Status.PUBLISHED)
        self._each(
            request,
            stories,
            Article.publish,
            ngettext_lazy("Published %(count)d story.", "Published %(count)d stories.", "count"),
        )

    @admin.action(description=_("Schedule selected stories at their publication time"), permissions=["publish"])
    def schedule(self, request, queryset):
        count = skipped = 0
        for article in queryset:
            try:
                with recorded(request):
                    article.schedule()
            except ValidationError:
                skipped += 1
            else:
                count += 1
                self._audit(request, article)
        message = ngettext("Scheduled %d story.", "Scheduled %d stories.", count)
        self.message_user(request, message % count, messages.SUCCESS)
        if skipped:
            warning = ngettext(
                "%d story has no publication time in the future; set one, then schedule again.",
                "%d stories have no publication time in the future; set one, then schedule again.",
                skipped,
            )
            self.message_user(request, warning % skipped, messages.WARNING)

    @admin.action(description=_("Withdraw selected stories"), permissions=["publish"])
    def withdraw(self, request, queryset):
        stories = queryset.exclude(status=Article.Status.WITHDRAWN)
        self._each(
            request,
            stories,
            Article.withdraw,
            ngettext_lazy("Withdrew %(count)d story.", "Withdrew %(count)d stories.", "count"),
        )

    @admin.action(description=_("End live coverage of selected stories"), permissions=["publish"])
    def end_live_coverage(self, request, queryset):
        stories = queryset.filter(live_coverage=True, live_ended_at=None)
        self._each(
            request,
            stories,
            Article.end_live_coverage,
            ngettext_lazy(
                "Ended the live coverage of %(count)d story.", "Ended the live coverage of %(count)d stories.", "count"
            ),
            audited=False,  # the audit log keeps publishing decisions; this changes no status
        )

    def _each(self, request, stories, operation, message, audited=True):
        """Run a story operation on each of ``stories`` and say how many it changed (``message`` takes the count)."""
        stories = list(stories)
        for article in stories:
            with recorded(request):
                operation(article)
            if audited:
                self._audit(request, article)
        self.message_user(request, message % {"count": len(stories)}, messages.SUCCESS)

    def _audit(self, request, article):
        audit.record(request.user, AUDITED_STATUS[article.status], article, note="from the story list", request=request)


from . import curation_admin  # noqa: E402, F401  (front pages, the banner, live updates)
