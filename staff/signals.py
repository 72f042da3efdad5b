"""Every sign-in to the newsroom, successful or not, and every sign-out, goes to the audit log.

At sign-in the session also learns whether two-factor still has to be given or set up.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from . import audit, two_factor


@receiver(user_logged_in, dispatch_uid="staff-audit-login")
def logged_in(sender, request, user, **kwargs):
    if user.is_staff:
        note = _("with two-factor") if getattr(user, "otp_device", None) else _("password only")
        audit.record(user, audit.Action.LOGIN, note=note, request=request)
        two_factor.remember_state(request, user)


@receiver(user_logged_out, dispatch_uid="staff-audit-logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None and user.is_staff:
        audit.record(user, audit.Action.LOGOUT, request=request)


@receiver(user_login_failed, dispatch_uid="staff-audit-login-failed")
def login_failed(sender, credentials, request=None, **kwargs):
    note = kwargs.get("reason") or _("wrong username or password")
    audit.record(None, audit.Action.LOGIN_FAILED, note=note, request=request, username=credentials.get("username", ""))
