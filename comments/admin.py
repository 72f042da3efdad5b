import datetime
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, path, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsdesk import desk as newsdesk_desk
from newsdesk.admin_inlines import LabelledTabularInline
from newsdesk.admin_logs import CsvExportMixin, ReadOnlyMixin
from newsdesk.text import is_number

from . import desk
from .forms import RejectForm
from .models import (
    ATTENTION_ORDER,
    Ban,
    BannedWord,
    Comment,
    Commenter,
    CommentSettings,
    Decision,
    Flag,
    StoryModeration,
)

ESTIMATE_FROM = 100_000


class CommentAdminForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["status", "reason"]

    def clean(self):
        data = super().clean()
        if data.get("status") == Comment.Status.REJECTED and not data.get("reason"):
            self.add_error("reason", _("Give a reason when you reject or take down a comment."))
        return data


class ShowFilter(admin.SimpleListFilter):
    """The queue opens on the work to do; "All comments" lists every comment, newest first."""

    title = _("view")
    parameter_name = "show"

    def lookups(self, request, model_admin):
        return [("all", _("All comments"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() != "all",
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Needs attention"),
        }
        yield {
            "selected": self.value() == "all",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
            "display": _("All comments"),
        }

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.needs_attention()

    @classmethod
    def shows_all(cls, request):
        return request.GET.get(cls.parameter_name) == "all"


class FlaggedFilter(admin.SimpleListFilter):
    title = _("reader reports")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("open", _("Open reports")), ("capped", _("Report limit reached")), ("any", _("Ever reported"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(open_flags__gt=0)
        if self.value() == "capped":
            return queryset.filter(open_flags__gte=settings.COMMENTS_REPORT_CAP)
        if self.value() == "any":
            return queryset.filter(Exists(Flag.objects.filter(comment=OuterRef("pk"))))
        return queryset


class FlagInline(LabelledTabularInline):
    model = Flag
    extra = 0
    fields = ["reason", "created", "resolved"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QueueChangeList(ChangeList):
    """Adds the author's record to the rows of the page, in one query."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = Comment.objects.attach_author_records(self.result_list)


class QueuePaginator(Paginator):
    """Counts the comments a view lists, except all of them at once on a big table.

    Counting every comment reads the whole table, and costs more than the rest
    of the page from about 100,000 rows; PostgreSQL's estimate is free.
    """

    @cached_property
    def count(self):
        if not self.object_list.query.where:
            estimate = self.object_list.estimated_total()
            if estimate and estimate >= ESTIMATE_FROM:
                return estimate
        return super().count


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: what needs attention (pending, then reported, oldest first), or everything.

    Both views read a page of an index, never the whole table: there is no
    count of the whole table (all comments unfiltered are estimated), the
    author's record is fetched for the rows shown only, and only the date
    column sorts (any other order would sort every comment).
    """

    form = CommentAdminForm
    list_display = [
        "excerpt",
        "author_name",
        "story",
        "in_reply_to",
        "status",
        "created",
        "record",
        "reports",
        "moderation",
    ]
    list_filter = [ShowFilter, "status", FlaggedFilter, "created"]
    search_fields = ["author_name", "email", "body", "article__headline"]
    actions = ["approve", "reject", "mark_spam", "close_comments"]
    inlines = [FlagInline]
    list_per_page = 50
    paginator = QueuePaginator
    show_full_result_count = False
    sortable_by = ["created"]
    fieldsets = [
        (None, {"fields": ["story", "in_reply_to", "author_name", "email", "created", "text"]}),
        (_("Moderation"), {"fields": ["status", "reason", "moderated_by", "moderated_at", "record"]}),
        (_("Abuse handling"), {"classes": ["collapse"], "fields": ["ip_hash", "user_agent"]}),
    ]
    readonly_fields = [
        "story",
        "in_reply_to",
        "author_name",
        "email",
        "created",
        "text",
        "moderated_by",
        "moderated_at",
        "record",
        "ip_hash",
        "user_agent",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_moderation()

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_object(self, request, object_id, from_field=None):
        comment = super().get_object(request, object_id, from_field)
        if comment:
            Comment.objects.attach_author_records([comment])
        return comment

    def get_ordering(self, request):
        return ["-created", "-id"] if ShowFilter.shows_all(request) else ATTENTION_ORDER

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")  # none after an action
        if cl:
            n = cl.result_count
            attention = ngettext("%d comment needs attention", "%d comments need attention", n) % n
            response.context_data["title"] = _("All comments") if ShowFilter.shows_all(request) else attention
        return response

    def has_add_permission(self, request):
        """Comments come from readers only."""
        return False

    @admin.display(description=_("Comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(100)

    @admin.display(description=_("Comment"))
    def text(self, comment):
        return format_html('<div style="white-space: pre-wrap; max-width: 40rem">{}</div>', comment.body)

    @admin.display(description=_("Story"), ordering="article__headline")
    def story(self, comment):
        return format_html('<a href="{}" target="_blank">{}</a>', comment.article.get_absolute_url(), comment.article)

    @admin.display(description=_("In reply to"))
    def in_reply_to(self, comment):
        if not comment.parent_id:
            return "—"
        parent = comment.parent
        url = reverse("admin:comments_comment_change", args=[parent.pk])
        return format_html(
            '<a href="{}">{}</a> ({}): {}',
            url,
            parent.author_name,
            parent.get_status_display().lower(),
            Truncator(parent.body).chars(60),
        )

    @admin.display(description=_("Author's record"))
    def record(self, comment):
        query = urlencode({ShowFilter.parameter_name: "all", "email": comment.email})
        url = reverse("admin:comments_comment_changelist") + "?" + query
        return format_html(
            '<a href="{}">{}</a>',
            url,
            _("%(approved)d approved, %(rejected)d rejected")
            % {"approved": comment.author_approved, "rejected": comment.author_rejected},
        )

    @admin.display(description=_("Open reports"))
    def reports(self, comment):
        if comment.reports_capped:
            return _("%(count)d (limit reached)") % {"count": comment.open_flags}
        return comment.open_flags or "—"

    @admin.display(description=_("Moderated"))
    def moderation(self, comment):
        if not comment.moderated_at:
            return "—"
        who = comment.moderated_by.get_username() if comment.moderated_by else _("automatically")
        return f"{who}, {date_format(timezone.localtime(comment.moderated_at), 'SHORT_DATETIME_FORMAT')}"

    def get_urls(self):
        return [
            path("desk/", self.admin_site.admin_view(self.desk_view), name="comments_comment_desk"),
            path("desk/decide/", self.admin_site.admin_view(self.decide_view), name="comments_comment_decide"),
            *super().get_urls(),
        ]

    def desk_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **desk.page(request)}
        return TemplateResponse(request, "admin/comments/comment/desk.html", context)

    def decide_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return desk.decide(request)

    def save_model(self, request, obj, form, change):
        """A decision made on the change page is recorded like one made from the list or the desk."""
        if {"status", "reason"} & set(form.changed_data):
            obj.moderate(obj.status, request.user, obj.reason)

    def _moderate(self, request, queryset, status, reason=""):
        """Apply a decision to the selection; the admin history keeps every decision, not just the last."""
        comments = Comment.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        count = comments.moderate(status, request.user, reason)
        label = Comment.Status(status).label.lower()
        message = f"Moderated: {label}" + (f" ({reason})" if reason else "")
        LogEntry.objects.log_actions(request.user.pk, comments, CHANGE, message)
        done = ngettext("%(count)d comment %(status)s.", "%(count)d comments %(status)s.", count)
        self.message_user(request, done % {"count": count, "status": label}, messages.SUCCESS)

    @admin.action(description=_("Approve selected comments (and settle their reports)"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, gettext("Spam"))

    @admin.action(description=_("Reject or take down selected comments, with a reason…"), permissions=["change"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._moderate(request, queryset, Comment.Status.REJECTED, form.reason_text())
            return None
        return TemplateResponse(
            request,
            "admin/comments/comment/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject comments"),
                "opts": self.model._meta,
                "form": form,
                "comments": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Close comments on the stories of selected comments"), permissions=["change"])
    def close_comments(self, request, queryset):
        articles = Article.objects.filter(pk__in={comment.article_id for comment in queryset}, comments_open=True)
        closing = list(articles)
        # A new version: an editor's story form opened before this cannot silently reopen them.
        count = articles.update(comments_open=False, version=F("version") + 1)
        LogEntry.objects.log_actions(request.user.pk, closing, CHANGE, "Closed comments (from the moderation queue)")
        self.message_user(
            request,
            ngettext("Comments closed on %d story.", "Comments closed on %d stories.", count) % count,
            messages.SUCCESS,
        )


@admin.register(CommentSettings)
class CommentSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the list goes straight to it."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CommentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if CommentSettings.objects.exists():
            return redirect("admin:comments_commentsettings_change", 1)
        return redirect("admin:comments_commentsettings_add")


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    """Trust levels and moderators' notes, per commenter's email."""

    list_display = ["email", "trust", "note", "added_at"]
    list_filter = ["trust"]
    search_fields = ["email", "note"]


def story_at(address):
    """The story a site address (or a bare story number) names, or None."""
    address = address.strip()
    if is_number(address):
        return Article.objects.filter(pk=address).first()
    try:
        match = resolve(urlsplit(address).path)
    except Resolver404:
        return None
    if "pk" in match.kwargs and match.url_name.startswith("story_by_id"):
        return Article.objects.filter(pk=match.kwargs["pk"]).first()
    if match.url_name == "story":
        return Article.objects.filter(slug=match.kwargs["slug"]).first()
    return None


class StoryModerationForm(forms.ModelForm):
    """Names the story by its address or number: moderators may not browse stories, and there may be millions."""

    story = forms.CharField(help_text=_("The story's address on the site (or its number)."))

    class Meta:
        model = StoryModeration
        fields = ["mode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["story"].disabled = True
            self.fields["story"].initial = self.instance.article.get_absolute_url()

    def clean_story(self):
        if self.instance.pk:
            return self.instance.article
        article = story_at(self.cleaned_data["story"])
        if article is None:
            raise forms.ValidationError(_("No story has this address or number."))
        if StoryModeration.objects.filter(article=article).exists():
            raise forms.ValidationError(_("This story already has a moderation mode; change it in the list."))
        return article

    def save(self, commit=True):
        self.instance.article = self.cleaned_data["story"]
        return super().save(commit)


@admin.register(StoryModeration)
class StoryModerationAdmin(admin.ModelAdmin):
    """Per-story moderation mode; closing works on a story that has no comments yet."""

    form = StoryModerationForm
    list_display = ["article", "mode", "changed_by", "changed_at"]
    list_filter = ["mode"]
    list_select_related = ["article", "changed_by"]
    search_fields = ["article__headline"]
    fields = ["story", "mode"]

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action"]
    list_editable = ["action"]
    list_filter = ["action"]
    search_fields = ["word"]


class BanForm(forms.ModelForm):
    days = forms.IntegerField(
        required=False, min_value=1, label=_("For (days)"), help_text=_("Leave empty to ban for good, or set “until”.")
    )

    class Meta:
        model = Ban
        fields = ["email", "ip_hash", "days", "until", "reason"]

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("ip_hash"):
            raise forms.ValidationError(_("Give the commenter's email, or the IP hash shown on one of their comments."))
        if data.get("days"):
            data["until"] = timezone.now() + datetime.timedelta(days=data["days"])
            self.instance.until = data["until"]
        return data


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    form = BanForm
    list_display = ["__str__", "email", "until", "reason", "created_by", "created"]
    list_filter = [("until", admin.EmptyFieldListFilter)]
    search_fields = ["email", "ip_hash", "reason"]
    list_select_related = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, CsvExportMixin, admin.ModelAdmin):
    """The audit log: every decision on a comment, who made it, when and why. Read-only, exportable as CSV."""

    list_display = ["created", "moderator", "action", "comment_link", "reason"]
    list_filter = [("moderator", admin.RelatedOnlyFieldListFilter), "action", "created"]
    list_select_related = ["moderator", "comment"]
    search_fields = ["reason", "comment__author_name", "comment__email"]
    date_hierarchy = "created"
    show_full_result_count = False

    @admin.display(description=_("Comment"))
    def comment_link(self, decision):
        url = reverse("admin:comments_comment_change", args=[decision.comment_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(decision.comment.body).chars(60))

    csv_filename = "moderation-decisions.csv"
    csv_header = ["when", "moderator", "decision", "reason", "comment id", "commenter", "story"]
    csv_select_related = ["moderator", "comment__article"]

    def csv_row(self, decision):
        return [
            decision.created.isoformat(),
            decision.moderator.get_username() if decision.moderator else "",
            decision.get_action_display(),
            decision.reason,
            decision.comment_id,
            decision.comment.author_name,
            decision.comment.article.headline,
        ]


def _moderates(user):
    return user.has_perm("comments.change_comment")


@newsdesk_desk.register(order=70, shown_to=_moderates)
def moderation_panel(request):
    """The moderator's part of the desk: what awaits a decision, counted, and the oldest of it, linked."""
    counts = Comment.objects.needs_attention().aggregate(
        pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
        reported=Count("pk", filter=Q(open_flags__gt=0)),
    )
    changelist = reverse("admin:comments_comment_changelist")
    oldest = Comment.objects.needs_attention().select_related("article").order_by(*ATTENTION_ORDER)[:5]
    return newsdesk_desk.Panel(
        title=gettext("Comments awaiting moderation"),
        counts=[
            (gettext("Pending"), counts["pending"], f"{changelist}?status__exact=pending"),
            (gettext("Reported by readers"), counts["reported"], f"{changelist}?flagged=open"),
        ],
        items=[
            newsdesk_desk.Item(
                Truncator(comment.body).chars(80),
                reverse("admin:comments_comment_change", args=[comment.pk]),
                gettext("%(name)s on “%(story)s”") % {"name": comment.author_name, "story": comment.article.headline},
            )
            for comment in oldest
        ],
        link=reverse("admin:comments_comment_desk"),
        link_label=gettext("Open the moderation desk"),
        empty=gettext("No comment awaits a decision."),
    )
