from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from . import two_factor


def code_field(label):
    return forms.CharField(
        label=label,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


def typed_code(value):
    return "".join((value or "").split())


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: username, password and, for those who set up two-factor, the code of the moment.

    One step, so django-axes (an authentication backend) counts a wrong code
    like a wrong password: the form reports it through ``user_login_failed``.
    """

    otp_token = code_field(_("Two-factor code (if you set it up)"))
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp": _("Enter the code your authenticator app shows now, or one of your backup codes."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].required = False

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and two_factor.has_device(user):
            token = typed_code(cleaned.get("otp_token"))
            device = match_token(user, token) if token else None
            if device is None:
                reason = gettext("no two-factor code") if not token else gettext("wrong two-factor code")
                credentials = {"username": user.get_username()}
                user_login_failed.send(sender=__name__, credentials=credentials, request=self.request, reason=reason)
                raise forms.ValidationError(self.error_messages["otp"], code="otp")
            user.otp_device = device  # django-otp keeps it in the session on login
        return cleaned


class EnrollForm(forms.Form):
    otp_token = code_field(_("Code from the app"))

    def clean_otp_token(self):
        return typed_code(self.cleaned_data["otp_token"])
