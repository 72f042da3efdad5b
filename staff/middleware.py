from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import two_factor

CHECKED_SESSION_KEY = "staff_2fa_checked"


class TwoFactorMiddleware:
    """In the admin, a staff member who must use two-factor does nothing before setting it up.

    A session signed in with a device but not verified by it (signed in by
    another path) is signed out. The check is made once per session and
    remembered in it, so admin pages cost no more queries than before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff and request.path.startswith(admin_root()):
            refusal = self.refusal(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request, user):
        if user.is_verified() or request.session.get(CHECKED_SESSION_KEY) == user.pk:
            return None
        if request.path in (reverse("staff:two_factor"), reverse("admin:logout")):
            return None
        if two_factor.has_device(user):
            logout(request)
            messages.info(request, "Sign in again with your two-factor code.")
            return redirect(f"{reverse('admin:login')}?{urlencode({'next': request.get_full_path()})}")
        if two_factor.is_required(user):
            messages.warning(request, "Your account must use two-factor sign-in: set it up to go on.")
            return redirect("staff:two_factor")
        request.session[CHECKED_SESSION_KEY] = user.pk
        return None


def admin_root():
    return reverse("admin:index")
