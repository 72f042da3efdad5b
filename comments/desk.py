"""The moderation desk: the queue as cards, one decision per comment.

A card shows what a moderator needs to decide (the story, the comment it
answers, the commenter's record, open reports, banned words, links) and a
form whose buttons are the decisions. Each form works without JavaScript (it
posts, and the desk comes back with a message); with JavaScript the same form
is sent in the background and the next card takes the focus.

A decision names the comment and the story its card showed, and is applied
only while the comment still awaits one: a forged, repeated or stale post
gets a clear message and changes nothing.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .forms import RejectForm
from .models import ATTENTION_ORDER, REJECTION_REASONS, Ban, BannedWord, Comment, count_links, highlight

PER_PAGE = 20
BAN_CHOICES = [("1", _("1 day")), ("7", _("7 days")), ("30", _("30 days")), ("", _("for good"))]


class DecisionForm(RejectForm):
    """One card's decision. The reason counts for a rejection only; the ban's length for a ban only."""

    DECISIONS = [
        ("approved", _("Approve")),
        ("rejected", _("Reject")),
        ("spam", _("Spam")),
        ("ban", _("Ban commenter")),
    ]

    comment = forms.IntegerField(widget=forms.HiddenInput)
    story = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=DECISIONS)
    reason = forms.ChoiceField(choices=REJECTION_REASONS, required=False)
    ban_days = forms.ChoiceField(choices=BAN_CHOICES, required=False, label=_("Ban for"))

    error_messages = {
        "decision": _("Choose Approve, Reject, Spam or Ban commenter."),
        "comment": _("That card does not name a comment; reload the desk and try again."),
    }

    def clean(self):
        data = forms.Form.clean(self)
        if data.get("decision") == "rejected":
            if not data.get("reason"):
                self.add_error("reason", _("Choose the reason for rejecting this comment."))
            data = super().clean()
        return data

    def first_error(self):
        for name in ["decision", "comment", "story"]:
            if name in self.errors:
                return self.error_messages.get(name, self.error_messages["comment"])
        return next(iter(self.errors.values()))[0]

    def apply(self, user):
        """(done, message): decide the comment the card named, if it is still the comment the card showed."""
        data = self.cleaned_data
        comment = Comment.objects.select_related("moderated_by").filter(pk=data["comment"]).first()
        if comment is None:
            return False, gettext("There is no such comment; nothing was changed.")
        if comment.article_id != data["story"]:
            return False, gettext("That comment is not on the story its card showed; nothing was changed.")
        decision = data["decision"]
        status, reason = decision, ""
        if decision == "rejected":
            reason = self.reason_text()
        elif decision == "spam":
            reason = gettext("Spam")
        elif decision == "ban":
            status = Comment.Status.SPAM
            days = int(data["ban_days"]) if data["ban_days"] else None
            reason = (
                gettext("Commenter banned for good")
                if days is None
                else ngettext("Commenter banned for %d day", "Commenter banned for %d days", days) % days
            )
        with transaction.atomic():
            if not comment.moderate(status, user, reason, waiting=True):
                return False, already_decided(comment)
            if decision == "ban":
                Ban.for_days(days, email=comment.email, ip_hash=comment.ip_hash, reason=reason, created_by=user)
        label = dict(self.DECISIONS)[decision] if decision == "ban" else Comment.Status(status).label
        return True, gettext("%(decision)s: the comment by %(name)s.") % {
            "decision": label,
            "name": comment.author_name,
        }


def already_decided(comment):
    if comment.moderated_at is None:
        return gettext("This comment no longer awaits a decision; nothing was changed.")
    who = comment.moderated_by.get_username() if comment.moderated_by else gettext("automatically")
    return gettext(
        "This comment was already decided (%(status)s, by %(who)s); "
        "nothing was changed. Reload the desk to see what still awaits a decision."
    ) % {"status": comment.get_status_display().lower(), "who": who}


def page(request):
    """The context of one page of cards, in a fixed number of queries."""
    queue = Comment.objects.needs_attention().for_moderation().order_by(*ATTENTION_ORDER)
    paginator = Paginator(queue, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    cards = Comment.objects.attach_author_records(page_obj.object_list)
    Comment.objects.attach_open_reports(cards)
    Comment.objects.attach_commenters(cards)
    words = list(BannedWord.objects.values_list("word", flat=True))
    for comment in cards:
        comment.marked_body = highlight(comment.body, words)
        comment.links = count_links(comment.body)
    n = paginator.count
    return {
        "title": ngettext(
            "Moderation desk: %d comment needs attention", "Moderation desk: %d comments need attention", n
        )
        % n,
        "cards": cards,
        "page_obj": page_obj,
        "decision_form": DecisionForm(),
        "queue_url": reverse("admin:comments_comment_changelist"),
    }


def decide(request):
    """Apply one card's decision; answer JSON to the desk's script, or a message and the desk to a plain form."""
    if request.method != "POST":
        return redirect("admin:comments_comment_desk")
    form = DecisionForm(request.POST)
    if form.is_valid():
        done, message = form.apply(request.user)
    else:
        done, message = False, form.first_error()
        form.cleaned_data.setdefault("comment", None)
    if "application/json" in request.headers.get("Accept", ""):
        # A card whose comment was decided elsewhere, or never was one, has nothing left to decide.
        gone = done or not Comment.objects.needs_attention().filter(pk=form.cleaned_data.get("comment")).exists()
        return JsonResponse({"done": done, "gone": gone, "message": message}, status=200 if done else 409)
    messages.add_message(request, messages.SUCCESS if done else messages.WARNING, message)
    back = reverse("admin:comments_comment_desk")
    page_number = request.POST.get("page", "")
    return redirect(f"{back}?page={page_number}" if page_number.isdigit() else back)
