from django.conf import settings

from .metadata import locale
from .models import Section


def site(request):
    """The masthead's name and navigation, on every page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_THEME_COLOR": settings.SITE_THEME_COLOR,
        "OG_LOCALE": locale(),
        "TWITTER_SITE": settings.TWITTER_SITE,
        "nav_sections": Section.objects.only("name", "slug"),
    }
