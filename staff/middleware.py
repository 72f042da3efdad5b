from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import two_factor


class TwoFactorMiddleware:
    """In the admin, a staff member who must use two-factor does nothing before setting it up.

    A session signed in with a device but not verified by it (signed in by
    another path) is signed out. What a session must do is decided once, at
    sign-in (``two_factor.session_state``) and again only when the user's groups
    or devices change, so admin pages cost no query more.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff and request.path.startswith(reverse("admin:index")):
            refusal = self.refusal(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request, user):
        state = two_factor.session_state(request, user)
        if state == two_factor.State.OK or request.path in (reverse("staff:two_factor"), reverse("admin:logout")):
            return None
        if state == two_factor.State.UNVERIFIED:
            logout(request)
            messages.info(request, _("Sign in again with your two-factor code."))
            return redirect(f"{reverse('admin:login')}?{urlencode({'next': request.get_full_path()})}")
        messages.warning(request, _("Your account must use two-factor sign-in: set it up to go on."))
        return redirect("staff:two_factor")
