from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import AlsoRead, Article, Author, Byline, Correction, Photo, Rendition, Section, Tag


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

    @admin.display(ordering="story_count", description="Stories")
    def story_count(self, tag):
        return tag.story_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["photo"]


class PhotoAdminForm(forms.ModelForm):
    def clean(self):
        """A focal point left empty means the centre, as it does for a new photo."""
        cleaned = super().clean()
        for name in ("focal_x", "focal_y"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = Photo._meta.get_field(name).default
        return cleaned


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """The photo library: photos are shared between stories and authors, and never deleted while in use."""

    ordering = ["-uploaded_at", "-id"]  # annotated querysets drop Meta.ordering
    list_display = ["thumbnail", "caption", "credit", "used_in", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["preview", "width", "height", "usage"]
    fieldsets = [
        (None, {"fields": ["image", "alt_text", "caption", "credit"]}),
        (
            "Focal point",
            {
                "fields": ["preview", "focal_x", "focal_y"],
                "description": "The point that 16:9 and square crops keep in view, as fractions of the width "
                "and height (0.5 and 0.5 is the centre).",
            },
        ),
        ("Details", {"fields": ["width", "height", "usage"]}),
    ]
    form = PhotoAdminForm
    formfield_overrides = {
        models.FloatField: {
            "widget": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "required": False,
        }
    }
    actions = ["delete_selected"]

    class Media:
        css = {"all": ["articles/admin/focal-point.css"]}
        js = ["articles/admin/focal-point.js"]

    def get_queryset(self, request):
        squares = Rendition.objects.filter(kind=Rendition.Kind.SQUARE, format=Rendition.Format.JPEG)
        return super().get_queryset(request).with_usage().prefetch_related(Prefetch("renditions", queryset=squares))

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        squares = photo.renditions_of(Rendition.Kind.SQUARE).get(Rendition.Format.JPEG)
        url = squares[0].file.url if squares else photo.image.url
        return format_html('<img src="{}" alt="" width="80" height="80" class="photo-thumbnail" loading="lazy">', url)

    @admin.display(description="Used in", ordering="story_count")
    def used_in(self, photo):
        if not photo.story_count and not photo.portrait_count:
            return "—"
        parts = []
        if photo.story_count:
            url = reverse("admin:articles_article_changelist") + f"?lead_photo__exact={photo.pk}"
            parts.append(format_html('<a href="{}">{}</a>', url, _count(photo.story_count, "story", "stories")))
        if photo.portrait_count:
            parts.append(_count(photo.portrait_count, "author", "authors"))
        return format_html_join(", ", "{}", ((part,) for part in parts))

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.image:
            return "Upload a photo, save, and it shows here."
        return format_html(
            '<span class="focal-point"><img src="{}" alt="" width="{}" height="{}">'
            '<span class="focal-point__mark" style="left: {}%; top: {}%"></span></span>',
            photo.image.url,
            photo.width,
            photo.height,
            round(photo.focal_x * 100, 1),
            round(photo.focal_y * 100, 1),
        )

    @admin.display(description="Used in")
    def usage(self, photo):
        stories, authors = photo.usage() if photo.pk else ([], [])
        links = [
            (reverse("admin:articles_article_change", args=[story.pk]), story.headline, "story") for story in stories
        ] + [
            (reverse("admin:articles_author_change", args=[author.pk]), author.name, "author portrait")
            for author in authors
        ]
        if not links:
            return "No story or author uses this photo."
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', links))

    def delete_view(self, request, object_id, extra_context=None):
        photo = self.get_object(request, unquote(object_id))
        if photo is not None and (photo.story_count or photo.portrait_count):
            self._refuse_deletion(request, [photo])
            return redirect("admin:articles_photo_change", photo.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Delete selected photos", permissions=["delete"])
    def delete_selected(self, request, queryset):
        in_use = list(queryset.in_use())
        if in_use:
            self._refuse_deletion(request, in_use)
            return None
        return django_delete_selected(self, request, queryset)

    def _refuse_deletion(self, request, photos):
        listed = "; ".join(f"“{photo}” ({_usage_summary(photo.story_count, photo.portrait_count)})" for photo in photos)
        self.message_user(
            request,
            f"Nothing was deleted: {_count(len(photos), 'photo is', 'photos are')} in use: {listed}. "
            "Choose another photo in those stories and authors first.",
            messages.ERROR,
        )


def _count(number, singular, plural):
    return f"{number} {singular if number == 1 else plural}"


def _usage_summary(stories, portraits):
    parts = [_count(stories, "story", "stories")] if stories else []
    if portraits:
        parts.append(_count(portraits, "author portrait", "author portraits"))
    return " and ".join(parts)


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"


class AlsoReadInline(admin.TabularInline):
    model = AlsoRead
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "after_paragraph", "order"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status_label", "publish_at", "byline", "featured", "comments_open"]
    list_filter = ["status", "section", "featured", "authors", "publish_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "lead_photo"]
    inlines = [BylineInline, AlsoReadInline, CorrectionInline]
    actions = ["publish_now", "schedule", "withdraw"]
    readonly_fields = ["updated_at", "preview_link"]

    class Media:
        js = ["js/body-editor.js"]
        css = {"all": ["css/admin.css"]}

    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "section", "body"]}),
        ("Photo and tags", {"fields": ["lead_photo", "tags"]}),
        (
            "Publishing",
            {"fields": ["status", "publish_at", "featured", "comments_open", "updated_at", "preview_link"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        if article.status == Article.Status.SCHEDULED and article.is_live:
            return "Published (was scheduled)"
        return article.get_status_display()

    @admin.display(description="Preview")
    def preview_link(self, article):
        if not article.pk:
            return "Save the story to preview it."
        label = "View on site" if article.is_live else "Preview"
        return format_html('<a href="{}" target="_blank">{}</a>', article.get_short_url(), label)

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

    def save_model(self, request, obj, form, change):
        if obj.is_out and not self.has_publish_permission(request):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            if not article.publish_at or article.publish_at > timezone.now():
                article.publish_at = timezone.now()
            article.save()
            count += 1
        self.message_user(request, f"Published {count} stor{'y' if count == 1 else 'ies'}.", messages.SUCCESS)

    @admin.action(description="Schedule selected stories at their publication time", permissions=["publish"])
    def schedule(self, request, queryset):
        due = queryset.filter(publish_at__gt=timezone.now())
        skipped = queryset.count() - due.count()
        count = due.update(status=Article.Status.SCHEDULED)
        self.message_user(request, f"Scheduled {count} stor{'y' if count == 1 else 'ies'}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} stor{'y has' if skipped == 1 else 'ies have'} no publication time in the future; "
                "set one, then schedule again.",
                messages.WARNING,
            )

    @admin.action(description="Withdraw selected stories", permissions=["publish"])
    def withdraw(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.WITHDRAWN):
            article.status = Article.Status.WITHDRAWN
            article.save()
            count += 1
        self.message_user(request, f"Withdrew {count} stor{'y' if count == 1 else 'ies'}.", messages.SUCCESS)
