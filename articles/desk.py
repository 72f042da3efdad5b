"""The story panels of the desk (see newsdesk/desk.py): a reporter's drafts and what came back, an editor's queue."""

import datetime

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsdesk import desk

from .models import Article, Correction, EditorialNote
from .revisions import moment

PANEL_ROWS = 8
RECENT = datetime.timedelta(days=2)
NEW_CORRECTIONS = datetime.timedelta(days=7)


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _list_url(query):
    return f"{reverse('admin:articles_article_changelist')}?{query}"


def _stories_panel(title, stories, detail, empty, link_query):
    rows = list(stories[:PANEL_ROWS])
    return desk.Panel(
        title=title,
        items=[desk.Item(article.headline, _change_url(article), detail(article)) for article in rows],
        link=_list_url(link_query) if link_query else "",
        link_label=gettext("All of them") if link_query else "",
        empty=empty,
    )


def _writes_stories(user):
    return user.has_perm("articles.add_article")


def _publishes(user):
    return user.has_perm("articles.publish_article")


@desk.register(order=10, shown_to=_writes_stories)
def sent_back(request):
    """What an editor returned to this reporter, with the editor's note."""
    notes = list(EditorialNote.objects.sent_back_to(request.user)[:PANEL_ROWS])
    return desk.Panel(
        title=_("Sent back to you"),
        items=[
            desk.Item(
                note.article.headline,
                _change_url(note.article),
                gettext("by %(editor)s, %(when)s") % {"editor": note.author or "—", "when": moment(note.created_at)},
                Truncator(note.text).chars(300),
            )
            for note in notes
        ],
        empty=_("Nothing was sent back to you."),
    )


@desk.register(order=20, shown_to=_writes_stories)
def my_drafts(request):
    """Drafts the user started or is assigned, last changed first."""
    user = request.user
    drafts = (
        Article.objects.filter(status=Article.Status.DRAFT)
        .filter(Q(created_by=user) | Q(assigned_to=user))
        .only("headline", "modified_at")
        .order_by("-modified_at", "-id")
    )
    return _stories_panel(
        _("Your drafts"),
        drafts,
        lambda article: gettext("changed %s") % moment(article.modified_at),
        _("You have no drafts."),
        "status__exact=draft",
    )


@desk.register(order=30, shown_to=_publishes)
def in_review(request):
    stories = (
        Article.objects.filter(status=Article.Status.IN_REVIEW)
        .select_related("assigned_to")
        .only("headline", "modified_at", "assigned_to__username")
        .order_by("modified_at", "id")
    )

    def detail(article):
        who = article.assigned_to.get_username() if article.assigned_to else gettext("nobody")
        when = moment(article.modified_at)
        return gettext("waiting since %(when)s, assigned to %(who)s") % {"when": when, "who": who}

    return _stories_panel(_("In review"), stories, detail, _("No story awaits review."), "status__exact=review")


@desk.register(order=40, shown_to=_publishes)
def scheduled(request):
    stories = Article.objects.upcoming().only("headline", "publish_at").order_by("publish_at", "id")
    return _stories_panel(
        _("Scheduled"),
        stories,
        lambda article: gettext("goes live %s") % moment(article.publish_at),
        _("Nothing is scheduled."),
        "status__exact=scheduled",
    )


@desk.register(order=50, shown_to=_publishes)
def recently_published(request):
    since = timezone.now() - RECENT
    stories = Article.objects.published().filter(publish_at__gte=since).only("headline", "publish_at").latest_first()
    return _stories_panel(
        _("Recently published"),
        stories,
        lambda article: gettext("published %s") % moment(article.publish_at),
        _("Nothing was published in the last two days."),
        "status__exact=published",
    )


@desk.register(order=60, shown_to=_publishes)
def new_corrections(request):
    """Stories whose correction or update notes are under a week old: worth a second look."""
    since = timezone.now() - NEW_CORRECTIONS
    latest = (
        Correction.objects.filter(created_at__gte=since)
        .values("article_id")
        .annotate(latest=Max("created_at"))
        .order_by("-latest")
    )
    rows = {row["article_id"]: row["latest"] for row in latest[:PANEL_ROWS]}
    stories = Article.objects.filter(pk__in=rows).only("headline")
    ordered = sorted(stories, key=lambda article: rows[article.pk], reverse=True)
    return desk.Panel(
        title=_("New corrections"),
        items=[
            desk.Item(article.headline, _change_url(article), gettext("corrected %s") % moment(rows[article.pk]))
            for article in ordered
        ],
        empty=_("No correction in the last seven days."),
    )
