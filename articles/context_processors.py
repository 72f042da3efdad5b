from django.conf import settings

from .curation import current_banner
from .metadata import locale
from .models import Section


def site(request):
    """The masthead's name and navigation, and the breaking-news banner (read only by pages that show it)."""
    return {
        "breaking_news": current_banner,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_THEME_COLOR": settings.SITE_THEME_COLOR,
        "OG_LOCALE": locale(),
        "TWITTER_SITE": settings.TWITTER_SITE,
        "nav_sections": Section.objects.only("name", "slug"),
        # The menu is kept as a fragment, once per current page (home, a section, any other), with no tag: any
        # change to a section starts a new page generation, which every fragment goes stale with.
        "at_home": request.path == "/",
        "menu_tags": [],
    }
