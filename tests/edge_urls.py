"""Pages for the edge cache's tests: one that shows a thousand stories (by its tags), one sent plain,
one not to be kept."""

import itertools

from django.http import HttpResponse
from django.urls import include, path
from django.utils.cache import patch_cache_control

from pagecache.pages import public_page, tag

# Above what Varnish's defaults take, under three header names.
TAGS = 1000


def thousand_stories(request):
    first = int(request.GET.get("first", 1))
    tag(request, *(f"story:{pk}" for pk in range(first, first + TAGS)))
    return HttpResponse("<p>A thousand stories</p>")


def sent_plain(request):
    """Public, with its own Cache-Control: the page cache sends it as the view made it, uncompressed."""
    response = HttpResponse("<p>Sent plain by the app</p>" * 100)
    patch_cache_control(response, public=True, s_maxage=60)
    return response


def not_to_be_kept(request):
    """Public, but for immediate revalidation, as the app sends a stale copy while it rebuilds a page."""
    response = HttpResponse(f"<p>Copy number {next(COPIES)}</p>")
    response["Cache-Control"] = "public, max-age=0, s-maxage=0"
    return response


COPIES = itertools.count(1)

urlpatterns = [
    path("thousand/", public_page(thousand_stories, params=["first"])),
    path("plain/", sent_plain),
    path("not-kept/", not_to_be_kept),
    path("", include("newsdesk.urls")),
]
