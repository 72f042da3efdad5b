"""The story admin's newsroom workflow: history and restores, edit conflicts, notes, assignment, sending back, search.

Kept apart from admin.py's fields and inlines so that each can change without
the other; ``ArticleAdmin`` takes this mixin first.
"""

from contextlib import contextmanager

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms.widgets import CheckboxInput, MultiWidget, Select, SelectMultiple
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaks_filter
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from newsdesk.revisions import RevisionAdminMixin
from staff import audit

from . import revisions, search
from .models import Article, EditConflict

HISTORY_PER_PAGE = 50

# The inlines a restore rebuilds, by formset prefix, and the field that tells their rows apart.
RESTORED_INLINES = {"bylines": "author", "also_read_links": "target", "body_photos": "photo"}


@contextmanager
def recorded(request):
    """One revision for what happens inside, saved as done by the request's user."""
    with reversion.create_revision():
        reversion.set_user(request.user)
        yield


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the reporter"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What to change before the story comes back for review. Internal: readers never see it."),
    )


class NewsroomWorkflowAdmin(RevisionAdminMixin):
    """Revisions, optimistic locking, editorial notes, assignment, "send back" and the desk's search."""

    # ----- Edit conflicts -----

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that lost the race after its form was checked is rolled back and shown as the conflict it is."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["has_publish_permission"] = self.has_publish_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # ----- Notes, assignment, the story's creator -----

    @admin.display(description=_("Notes"))
    def desk_notes(self, article):
        notes = list(article.notes.select_related("author")) if article.pk else []
        if not notes:
            return gettext("No notes yet.")
        return format_html(
            '<ol class="desk-notes">{}</ol>',
            format_html_join(
                "",
                '<li><p class="desk-notes__meta">{} · {} · {}</p>{}</li>',
                (
                    (
                        note.get_kind_display(),
                        note.author or "—",
                        revisions.moment(note.created_at),
                        linebreaks_filter(note.text, autoescape=True),
                    )
                    for note in notes
                ),
            ),
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_staff=True, is_active=True)
                .filter(Q(is_superuser=True) | Q(groups__permissions__codename="change_article"))
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note = form.cleaned_data.get("new_note", "").strip()
        if note:
            form.instance.notes.create(author=request.user, text=note)

    # ----- Search -----

    def get_search_results(self, request, queryset, search_term):
        """Headline, standfirst, body and byline words; the full-text index on PostgreSQL (search.desk_matches)."""
        if not search_term.strip():
            return queryset, False
        return search.desk_matches(queryset, search_term), False

    # ----- Sending back -----

    @admin.action(description=_("Send back to the reporter"), permissions=["publish"])
    def send_back(self, request, queryset):
        """Back to draft with a note, assigned to the story's reporter; the note shows on their desk."""
        form = SendBackForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            stories = list(queryset)
            for article in stories:
                with recorded(request):
                    article.send_back(form.cleaned_data["note"], request.user)
            count = len(stories)
            self.message_user(
                request,
                ngettext("Sent %d story back to its reporter.", "Sent %d stories back to their reporters.", count)
                % count,
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/send_back.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Send back to the reporter"),
                "opts": self.opts,
                "stories": queryset,
                "form": form,
                "action_checkbox_name": "_selected_action",
            },
        )

    def send_back_view(self, request, object_id):
        """The change page's "Send back" button: the same form as the list's action, for this one story."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        return self.send_back(request, Article.objects.filter(pk=article.pk))

    # ----- History, compare, restore -----

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/<int:version_id>/",
                view(self.revision_view),
                name="articles_article_revision",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path("<path:object_id>/send-back/", view(self.send_back_view), name="articles_article_send_back"),
            *super().get_urls(),
        ]

    def _story_or_refuse(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(gettext("There is no such story."))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        """Every revision, newest first, with who saved it, when, and which fields it changed."""
        article = self._story_or_refuse(request, object_id)
        paginator = Paginator(revisions.versions_of(article), HISTORY_PER_PAGE)
        page = paginator.get_page(request.GET.get("p"))
        start = page.start_index() - 1 if paginator.count else 0
        # One more than the page shows: the revision before the page's oldest, to compare that one with.
        versions = list(revisions.versions_of(article)[start : start + HISTORY_PER_PAGE + 1])
        states = revisions.snapshots([version.revision for version in versions], article.pk)
        names = revisions.Names([state for state in states.values() if state])
        rows = []
        for index, version in enumerate(versions[:HISTORY_PER_PAGE]):
            state = states.get(version.revision_id)
            older = versions[index + 1] if index + 1 < len(versions) else None
            before = states.get(older.revision_id) if older else None
            if state is None:
                changed = None
            elif before is None:
                changed = [] if older else None
            else:
                changed = [change.label for change in revisions.changes(before, state, names)]
            rows.append({"version": version, "revision": version.revision, "changed": changed, "first": not older})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("History: %s") % article,
            "subtitle": None,
            "opts": self.opts,
            "original": article,
            "object": article,
            "rows": rows,
            "page": page,
            "can_restore": self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def _version(self, article, version_id):
        version = revisions.versions_of(article).filter(pk=version_id).first()
        if version is None:
            raise Http404(gettext("This story has no such revision."))
        return version

    def revision_view(self, request, object_id, version_id):
        """One revision side by side with the story now (or with the revision before it): the words that differ."""
        article = self._story_or_refuse(request, object_id)
        version = self._version(article, version_id)
        against_previous = request.GET.get("against") == "previous"
        state = revisions.snapshots([version.revision], article.pk).get(version.revision_id)
        if against_previous:
            older = revisions.versions_of(article).filter(revision__date_created__lt=version.revision.date_created)
            older = older.first()
            other = revisions.snapshots([older.revision], article.pk).get(older.revision_id) if older else None
        else:
            other = revisions.Snapshot.of_article(article)
        names = revisions.Names([snap for snap in (state, other) if snap])
        if state is None:
            changes = None
        elif other is None:
            changes = []
        else:
            older_state, newer_state = (other, state) if against_previous else (state, other)
            changes = revisions.changes(older_state, newer_state, names)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revision of %s") % revisions.moment(version.revision.date_created),
            "opts": self.opts,
            "original": article,
            "version": version,
            "revision": version.revision,
            "against_previous": against_previous,
            "changes": [(change, *change.columns()) for change in changes] if changes is not None else None,
            "missing": names.missing(state) if state else [],
            "can_restore": state is not None and self.has_change_permission(request, article),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def restore_view(self, request, object_id, version_id):
        """Put the revision's text back through the change form: checked, cleaned and recorded as a new revision.

        Status, publication time, address and corrections stay as they are: a
        restore brings back words and what the story shows, never unpublishes.
        """
        article = self._story_or_refuse(request, object_id)
        version = self._version(article, version_id)
        history = reverse("admin:articles_article_history", args=[article.pk])
        if request.method != "POST":
            return redirect("admin:articles_article_revision", article.pk, version.pk)
        if not self.has_change_permission(request, article):
            self.message_user(
                request,
                gettext("Only an editor can restore a revision of a story that is scheduled, published or withdrawn."),
                messages.ERROR,
            )
            return redirect(history)
        state = revisions.snapshots([version.revision], article.pk).get(version.revision_id)
        if state is None:
            self.message_user(request, gettext("This revision cannot be read; nothing was changed."), messages.ERROR)
            return redirect(history)
        missing = revisions.Names([state]).missing(state)
        if missing:
            self.message_user(
                request,
                gettext("Parts of this revision no longer exist: %s. Choose others below, then save.")
                % "; ".join(missing),
                messages.WARNING,
            )
        request.POST = self._restored_data(request, article, state, request.POST.get("version"))
        when = revisions.moment(version.revision.date_created)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        with recorded(request):
            reversion.set_comment(gettext("Restored the revision of %s") % when)
            response = self.changeform_view(request, str(article.pk), change_url)
        if response.status_code == 302:
            audit.record(
                request.user, audit.Action.RESTORE, article, note=gettext("revision of %s") % when, request=request
            )
            self.message_user(request, gettext("Restored the revision of %s.") % when, messages.SUCCESS)
            return redirect(change_url)
        return response

    def _restored_data(self, request, article, state, loaded_version):
        """The change form's POST as if an editor had typed the revision's text into today's form."""
        data = QueryDict(mutable=True)
        form = self.get_form(request, article, change=True)(instance=article)
        fill(data, form)
        fields = state.fields
        for name, value in {
            "headline": fields["headline"],
            "standfirst": fields["standfirst"],
            "body": fields["body"],
            "section": fields["section_id"],
            "lead_photo": fields["lead_photo_id"] or "",
        }.items():
            if name in form.fields:
                data[form.add_prefix(name)] = "" if value is None else str(value)
        if "tags" in form.fields:
            data.setlist(form.add_prefix("tags"), [str(tag) for tag in fields["tags"]])
        data[form.add_prefix("version")] = loaded_version or str(article.version)
        rows = {
            "bylines": {author: {"author": author, "order": order} for order, author in state.bylines},
            "also_read_links": {
                target: {"target": target, "after_paragraph": after, "order": order}
                for after, order, target in state.also_read
            },
            "body_photos": {
                photo: {"photo": photo, "after_paragraph": after, "order": order}
                for after, order, photo in state.body_photos
            },
        }
        for formset_class, inline in self.get_formsets_with_inlines(request, article):
            prefix = formset_class.get_default_prefix()
            formset = formset_class(instance=article, prefix=prefix, queryset=inline.get_queryset(request))
            restored = rows.get(prefix)
            forms_data = []
            for existing in formset.initial_forms:
                row = QueryDict(mutable=True)
                fill(row, existing, prefixed=False)
                if restored is not None:
                    key = getattr(existing.instance, f"{RESTORED_INLINES[prefix]}_id")
                    if key in restored:
                        for name, value in restored.pop(key).items():
                            row[name] = str(value)
                    else:
                        row["DELETE"] = "on"
                forms_data.append(row)
            for values in (restored or {}).values():
                row = QueryDict(mutable=True)
                for name, value in values.items():
                    row[name] = str(value)
                forms_data.append(row)
            for index, row in enumerate(forms_data):
                for name, values in row.lists():
                    data.setlist(f"{prefix}-{index}-{name}", values)
            data[f"{prefix}-TOTAL_FORMS"] = str(len(forms_data))
            data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        data["_continue"] = "1"
        return data


def fill(data, form, prefixed=True):
    """Put an unbound form's values into ``data`` the way its widgets would post them."""
    for name, field in form.fields.items():
        key = form.add_prefix(name) if prefixed else name
        value = form[name].value()
        widget = getattr(field.widget, "widget", field.widget)  # admin wrappers hold the real widget
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for suffix, subwidget, part in zip(widget.widgets_names, widget.widgets, parts, strict=False):
                formatted = subwidget.format_value(part)
                data[f"{key}{suffix}"] = "" if formatted is None else formatted
        elif isinstance(widget, CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(widget, SelectMultiple):
            data.setlist(key, [str(item) for item in value or []])
        elif isinstance(widget, Select):
            data[key] = "" if value is None else str(value)
        else:
            formatted = widget.format_value(value)
            data[key] = "" if formatted is None else str(formatted)
