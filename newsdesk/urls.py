from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from articles.sitemaps import SITEMAPS
from pagecache.pages import public_page
from photos.autocomplete import PhotoAwareAutocompleteJsonView


def newsroom_header():
    return gettext("%(site)s newsroom") % {"site": settings.SITE_NAME}


# Lazy, so that the admin shows them in the language of the moment, not of the import.
admin.site.site_header = lazy(newsroom_header, str)()
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = _("Publishing and moderation")


def serve_media(request, path):
    """Uploaded files from MEDIA_ROOT as it is now: tests point it at a temporary directory."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    # Before the admin's own: the same autocomplete, with photo thumbnails for the photo pickers.
    path("admin/autocomplete/", PhotoAwareAutocompleteJsonView.as_view(admin_site=admin.site)),
    path("admin/", include("staff.urls")),
    path("admin/", admin.site.urls),
    # Outside the articles namespace: Django's index view reverses the parts by these names.
    path(
        "sitemap.xml", public_page(sitemap_views.index, tags=["sitemaps"]), {"sitemaps": SITEMAPS}, name="sitemap_index"
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, params=["p"], tags=["sitemaps"]),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

if settings.BENCH_PING:
    urlpatterns += [path("bench/ping/", lambda request: HttpResponse("pong", content_type="text/plain"))]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            serve_media,
        )
    ]

# A database or cache that cannot be reached is a 503 with Retry-After, not a 500 (newsdesk/errors.py).
handler500 = "newsdesk.errors.server_error"

urlpatterns += [
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]
