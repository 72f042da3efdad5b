"""Two-factor sign-in for staff: an authenticator app (TOTP) plus one-time backup codes, with django-otp.

Who must use it: members of the groups in STAFF_2FA_REQUIRED_GROUPS (the
Editors, in production). Anyone on the staff may set it up; once set up, the
code is asked at every sign-in.
"""

import logging
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "staff_2fa"
# When the state was decided, against the user's rules stamp (see rules_changed).
SESSION_STAMP_KEY = "staff_2fa_stamp"
BACKUP_CODES = 10
APP_NAME = _("Authenticator app")
CODES_NAME = _("Backup codes")

logger = logging.getLogger(__name__)


def has_device(user):
    """Whether the user set up two-factor (the backup codes come with the app, never alone)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user):
    groups = settings.STAFF_2FA_REQUIRED_GROUPS
    return bool(groups) and user.groups.filter(name__in=groups).exists()


class State(models.TextChoices):
    """What a staff session must do before using the admin."""

    OK = "ok"
    UNVERIFIED = "unverified"  # has a device, but this session did not give its code
    ENROLL = "enroll"  # must set two-factor up first


def rules_key(user_pk):
    return f"staff:2fa-rules:{user_pk}"


def rules_changed(user_pks):
    """The users' groups or devices changed: their open sessions decide their state again at the next request.

    A stamp in the shared cache rather than a query per admin page; if the
    cache loses it, every such session decides again, which is only a query.
    """
    cache.set_many({rules_key(pk): time.time_ns() for pk in user_pks}, None)


def rules_stamp(user_pk):
    """When the user's rules last changed (None: not since the cache last lost it)."""
    return cache.get(rules_key(user_pk))


def session_state(request, user):
    """What this staff session must do: decided at sign-in, and again once the user's rules have changed.

    While the cache cannot be read (down, or too slow on a saturated machine) the rules may have changed
    unseen: the state is decided from the database for this request, and the editor's save goes through.
    """
    state = request.session.get(SESSION_KEY)
    try:
        stamp = rules_stamp(user.pk)
    except Exception:
        logger.warning("Cache unreachable: two-factor state decided from the database.", exc_info=True)
        return decide(user)
    if state is None or request.session.get(SESSION_STAMP_KEY) != stamp:
        state = remember_state(request, user, stamp)
    return state


def remember_state(request, user, stamp):
    """Decide, at sign-in (or when the rules changed), and keep it in the session with the rules ``stamp``."""
    state = request.session[SESSION_KEY] = decide(user)
    request.session[SESSION_STAMP_KEY] = stamp
    return state


def decide(user):
    """The state from the user's devices and groups (and the device this session signed in with)."""
    if getattr(user, "otp_device", None) is not None:
        return State.OK
    if has_device(user):
        return State.UNVERIFIED
    if is_required(user):
        return State.ENROLL
    return State.OK


def pending_device(user):
    """The app being set up: one unconfirmed key per user, kept until confirmed with a code it made."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_text(device):
    """The key to type in by hand, in groups of four letters as authenticator apps show it."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device):
    """The key as a QR code, drawn on the server as SVG markup: no image request, no script."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    label = format_html('role="img" aria-label="{}" class="two-factor__qr" ', gettext("QR code of your two-factor key"))
    return image.to_string(encoding="unicode").replace("<svg ", f"<svg {label}", 1)


def confirm(request, device, token):
    """Turn two-factor on if ``token`` is the app's current code; returns the new backup codes, or None."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    request.session[SESSION_KEY] = State.OK
    return new_backup_codes(device.user)


def new_backup_codes(user):
    """Replace the user's backup codes with fresh ones, each good for one sign-in in place of the app's code."""
    StaticDevice.objects.filter(user=user).delete()
    codes_device = StaticDevice.objects.create(user=user, name=CODES_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=codes_device, token=code) for code in codes)
    return codes
