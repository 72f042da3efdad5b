"""Every sign-in to the newsroom, successful or not, and every sign-out, goes to the audit log.

At sign-in the session also learns whether two-factor still has to be given or set up; a change of the
user's groups or devices makes open sessions learn it again.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, two_factor


@receiver(user_logged_in, dispatch_uid="staff-audit-login")
def logged_in(sender, request, user, **kwargs):
    if user.is_staff:
        note = _("with two-factor") if getattr(user, "otp_device", None) else _("password only")
        audit.record(user, audit.Action.LOGIN, note=note, request=request)
        two_factor.remember_state(request, user, two_factor.rules_stamp(user.pk))


@receiver(user_logged_out, dispatch_uid="staff-audit-logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None and user.is_staff:
        audit.record(user, audit.Action.LOGOUT, request=request)


@receiver(user_login_failed, dispatch_uid="staff-audit-login-failed")
def login_failed(sender, credentials, request=None, **kwargs):
    note = kwargs.get("reason") or _("wrong username or password")
    audit.record(None, audit.Action.LOGIN_FAILED, note=note, request=request, username=credentials.get("username", ""))


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="staff-2fa-groups")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        users = [instance.pk]
    elif action == "pre_clear":
        users = list(instance.user_set.values_list("pk", flat=True))
    else:
        users = list(pk_set)
    transaction.on_commit(lambda: two_factor.rules_changed(users))


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="staff-2fa-device-saving")
def device_saving(sender, instance, **kwargs):
    """Only a device appearing or its confirmation changing is a change of rules: django-otp also saves
    the device at every code given (its last time step, its throttling), which must not make every
    other session of the user decide again."""
    stored = sender.objects.filter(pk=instance.pk).values_list("confirmed", flat=True).first()
    if stored is None or stored != instance.confirmed:
        device_changed(sender, instance)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="staff-2fa-device-deleted")
def device_changed(sender, instance, **kwargs):
    transaction.on_commit(lambda: two_factor.rules_changed([instance.user_id]))
