"""A public page that takes a while to render and counts its renders, for the page cache's stampede tests."""

import threading
import time

from django.http import Http404, HttpResponse
from django.urls import include, path

from pagecache.pages import public_page

RENDER_SECONDS = 0.3
renders = []
_lock = threading.Lock()


@public_page
def slow_page(request):
    time.sleep(RENDER_SECONDS)
    with _lock:
        renders.append(time.monotonic())
        number = len(renders)
    return HttpResponse(f"<p>Render number {number}</p>")


@public_page
def slow_missing(request):
    time.sleep(RENDER_SECONDS)
    raise Http404("Not here.")


# The site's own addresses too: its 404 page links to them.
urlpatterns = [path("slow/", slow_page), path("slow-missing/", slow_missing), path("", include("newsdesk.urls"))]
