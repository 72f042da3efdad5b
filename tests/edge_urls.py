"""Pages for the edge cache's tests: one that shows a thousand stories (by its tags), one sent plain,
one not to be kept, a stale copy, and pages whose next answers differ."""

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
    """Public, but for immediate revalidation, as the app sends a page whose time ran out while it rendered."""
    response = HttpResponse(f"<p>Copy number {next(COPIES)}</p>")
    response["Cache-Control"] = "public, max-age=0, s-maxage=0"
    return response


def stale_copy(request):
    """What the app sends while another of its requests rebuilds a page: the previous copy, marked so."""
    response = not_to_be_kept(request)
    response["X-Page-Cache"] = "stale"
    return response


def rebuilt(request):
    """The stale copy first, as while another request rebuilds the page; the rebuilt page, kept, after it."""
    if next(REBUILDS) == 1:
        return stale_copy(request)
    response = HttpResponse("<p>Rebuilt</p>")
    patch_cache_control(response, public=True, s_maxage=60)
    return response


def private_later(request):
    """Kept for a second, then private: as the app answers while its own cache does not."""
    number = next(ANSWERS)
    response = HttpResponse(f"<p>Answer number {number}</p>")
    if number == 1:
        patch_cache_control(response, public=True, s_maxage=1, stale_while_revalidate=30)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


COPIES, REBUILDS, ANSWERS = (itertools.count(1) for _ in range(3))

urlpatterns = [
    path("thousand/", public_page(thousand_stories, params=["first"])),
    path("plain/", sent_plain),
    path("not-kept/", not_to_be_kept),
    path("stale-copy/", stale_copy),
    path("rebuilt/", rebuilt),
    path("private-later/", private_later),
    path("", include("newsdesk.urls")),
]
