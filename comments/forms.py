import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import REJECTION_REASONS, Comment, Flag, count_links, normalize_email

HONEYPOT = "website"


def tidy_text(text):
    """Plain text with Unix line breaks, no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class CommentForm(forms.ModelForm):
    # Hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = ["parent", "author_name", "email", "body", "notify"]
        labels = {
            "author_name": _("Name"),
            "email": _("Email"),
            "body": _("Comment"),
            "notify": _("Notify me when it is published and when someone replies"),
        }
        help_texts = {
            "author_name": _("Shown with your comment."),
            "email": _("Never shown; we use it only if we need to contact you about your comment."),
            "notify": _("Every email has a link to stop them."),
        }
        widgets = {
            "parent": forms.HiddenInput,
            "author_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "parent": {"invalid_choice": _("The comment you are replying to is not available any more.")},
            "author_name": {"required": _("Please give your name.")},
            "email": {"required": _("Please give your email address; it is never shown.")},
            "body": {"required": _("Please write your comment.")},
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.article = article
        self.fields["parent"].queryset = Comment.objects.approved()
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].help_text = _(
            "Plain text, up to %(length)d characters and %(links)d web addresses; line breaks are kept."
        ) % {"length": settings.COMMENTS_MAX_LENGTH, "links": settings.COMMENTS_MAX_LINKS}

    def is_bot(self):
        return bool(self.data.get(HONEYPOT))

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent and parent.article_id != self.article.pk:
            raise forms.ValidationError(_("You can only reply to a comment on this story."))
        return parent

    def clean_author_name(self):
        name = " ".join(self.cleaned_data["author_name"].split())
        if not name:
            raise forms.ValidationError(_("Please give your name."))
        if count_links(name):
            raise forms.ValidationError(_("A name cannot contain a web address."))
        return name

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_body(self):
        body = tidy_text(self.cleaned_data["body"])
        if len(body) < 2:
            raise forms.ValidationError(_("Your comment is too short."))
        if len(body) > settings.COMMENTS_MAX_LENGTH:
            raise forms.ValidationError(
                _("Your comment is %(length)d characters long; the limit is %(limit)d.")
                % {"length": len(body), "limit": settings.COMMENTS_MAX_LENGTH}
            )
        links = count_links(body)
        if links > settings.COMMENTS_MAX_LINKS:
            raise forms.ValidationError(
                _("Your comment has %(links)d web addresses; at most %(limit)d are allowed.")
                % {"links": links, "limit": settings.COMMENTS_MAX_LINKS}
            )
        return body


# A required <select> starts on an empty choice (HTML requires it), so no reason is sent by mistake.
FLAG_CHOICES = [("", _("Choose a reason")), *Flag.Reason.choices]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=FLAG_CHOICES,
        label=_("Why should moderators look at this comment?"),
        error_messages={
            "invalid_choice": _("Please choose a reason from the list."),
            "required": _("Please choose a reason."),
        },
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=REJECTION_REASONS)
    detail = forms.CharField(
        label=_("Detail"), required=False, max_length=200, help_text=_("Optional; required for “Other”.")
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == "Other" and not data.get("detail", "").strip():
            self.add_error("detail", _("Say why, when the reason is “Other”."))
        return data

    def reason_text(self):
        detail = self.cleaned_data["detail"].strip()
        return f"{self.cleaned_data['reason']}: {detail}" if detail else self.cleaned_data["reason"]
