from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsdesk.revisions import RevisionAdminMixin

from .models import Photo, Rendition


class PhotoAdminForm(forms.ModelForm):
    def clean(self):
        """A focal point left empty means the centre, as it does for a new photo."""
        cleaned = super().clean()
        for name in ("focal_x", "focal_y"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = Photo._meta.get_field(name).default
        return cleaned


@admin.register(Photo)
class PhotoAdmin(RevisionAdminMixin, admin.ModelAdmin):
    """The photo library: photos are shared between stories and authors, and never deleted while in use."""

    ordering = ["-uploaded_at", "-id"]  # annotated querysets drop Meta.ordering
    list_display = ["thumbnail", "caption", "credit", "used_in", "uploaded_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["preview", "width", "height", "usage"]
    fieldsets = [
        (None, {"fields": ["image", "alt_text", "caption", "credit"]}),
        (
            _("Focal point"),
            {
                "fields": ["preview", "focal_x", "focal_y"],
                "description": _(
                    "The point that 16:9 and square crops keep in view, as fractions of the width "
                    "and height (0.5 and 0.5 is the centre)."
                ),
            },
        ),
        (_("Details"), {"fields": ["width", "height", "usage"]}),
    ]
    form = PhotoAdminForm
    formfield_overrides = {
        models.FloatField: {
            "widget": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
            "required": False,
        }
    }
    actions = ["delete_selected"]

    class Media:
        css = {"all": ["photos/admin/focal-point.css"]}
        js = ["photos/admin/focal-point.js"]

    def get_queryset(self, request):
        squares = Rendition.objects.filter(kind=Rendition.Kind.SQUARE, format=Rendition.Format.JPEG)
        return super().get_queryset(request).with_usage().prefetch_related(Prefetch("renditions", queryset=squares))

    @admin.display(description=_("Photo"))
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="" width="80" height="80" class="photo-thumbnail" loading="lazy">', photo.thumbnail_url()
        )

    @admin.display(description=_("Used in"), ordering="story_count")
    def used_in(self, photo):
        if not photo.story_count and not photo.portrait_count:
            return "—"
        parts = []
        if photo.story_count:
            url = reverse("admin:articles_article_changelist") + f"?lead_photo__exact={photo.pk}"
            parts.append(format_html('<a href="{}">{}</a>', url, stories_text(photo.story_count)))
        if photo.portrait_count:
            parts.append(ngettext("%d author", "%d authors", photo.portrait_count) % photo.portrait_count)
        return format_html_join(", ", "{}", ((part,) for part in parts))

    @admin.display(description=_("Preview"))
    def preview(self, photo):
        if not photo.image:
            return _("Upload a photo, save, and it shows here.")
        # The marker is drawn in SVG, placed by attributes: the site's CSP refuses style attributes.
        x, y = round(photo.focal_x * 100, 1), round(photo.focal_y * 100, 1)
        return format_html(
            '<span class="focal-point"><img src="{}" alt="" width="{}" height="{}">'
            '<svg class="focal-point__marks" aria-hidden="true" focusable="false">'
            '<circle class="focal-point__halo" cx="{}%" cy="{}%" r="11"></circle>'
            '<circle class="focal-point__mark" cx="{}%" cy="{}%" r="9"></circle></svg></span>',
            photo.image.url,
            photo.width,
            photo.height,
            x,
            y,
            x,
            y,
        )

    @admin.display(description=_("Used in"))
    def usage(self, photo):
        stories, authors = photo.usage() if photo.pk else ([], [])
        links = [
            (reverse("admin:articles_article_change", args=[story.pk]), story.headline, _("story")) for story in stories
        ] + [
            (reverse("admin:articles_author_change", args=[author.pk]), author.name, _("author portrait"))
            for author in authors
        ]
        if not links:
            return _("No story or author uses this photo.")
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', links))

    def may_change_live(self, request):
        return request.user.has_perm("photos.change_live_photo")

    def has_change_permission(self, request, obj=None):
        """Reporters change photos no reader sees yet; one on a live page is for Editors (read-only to others)."""
        if obj is not None and not self.may_change_live(request) and obj.shown_live():
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """The same rule at the moment of saving: the story may have gone live while the form was open.

        The admin answers at once: renditions are made by a background job, pages show the upload meanwhile.
        """
        if change and not self.may_change_live(request) and obj.shown_live():
            raise PermissionDenied
        obj.save(renditions=Photo.LATER)

    def delete_view(self, request, object_id, extra_context=None):
        photo = self.get_object(request, unquote(object_id))
        in_use = photo is not None and (photo.story_count or photo.portrait_count)
        if in_use and self.has_delete_permission(request, photo):
            self._refuse_deletion(request, [photo])
            return redirect("admin:photos_photo_change", photo.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description=_("Delete selected photos"), permissions=["delete"])
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
            ngettext(
                "Nothing was deleted: %(count)d photo is in use: %(listed)s.",
                "Nothing was deleted: %(count)d photos are in use: %(listed)s.",
                len(photos),
            )
            % {"count": len(photos), "listed": listed}
            + " "
            + _("Choose another photo in those stories and authors first."),
            messages.ERROR,
        )


def stories_text(count):
    return ngettext("%d story", "%d stories", count) % count


def _usage_summary(stories, portraits):
    parts = [stories_text(stories)] if stories else []
    if portraits:
        parts.append(ngettext("%d author portrait", "%d author portraits", portraits) % portraits)
    return _(" and ").join(parts)
