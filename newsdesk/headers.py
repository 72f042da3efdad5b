"""The security headers Django has no setting for: Permissions-Policy, and CORP on pages.

Content-Security-Policy comes from django-csp, the rest (HSTS, nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy, X-Frame-Options) from Django's
SecurityMiddleware and XFrameOptionsMiddleware.
"""

from django.conf import settings


def permissions_policy(features):
    """``{"camera": "", "fullscreen": 'self "https://…"'}`` as the header's text: ``camera=(), fullscreen=(…)``."""
    return ", ".join(f"{feature}=({allowed})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Every response says which browser features its page may use; pages are not readable cross-origin.

    ``Cross-Origin-Resource-Policy: same-origin`` goes on HTML only: photos,
    stylesheets and feeds stay loadable by feed readers and other sites.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
