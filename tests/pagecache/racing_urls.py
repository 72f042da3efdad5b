"""Public pages during whose rendering an editor's change commits, or a scheduled story goes live, for the page
cache's tests."""

import time

from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from articles.models import Article
from pagecache.pages import public_page, tag

# Headlines an editor saves while the next render of the page is under way.
edits = []
# Other stories (their ids) an editor saves meanwhile: changes the page does not show.
elsewhere = []
# Times the next render of the live list waits for (a go-live during it); stories it schedules meanwhile.
wait_until = []
to_schedule = []


@public_page
def headline(request, pk):
    shown = Article.objects.get(pk=pk).headline
    tag(request, f"story:{pk}")
    while edits:
        story = Article.objects.get(pk=pk)
        story.headline = edits.pop()
        story.save()
    while elsewhere:
        other = Article.objects.get(pk=elsewhere.pop())
        other.headline += " (edited)"
        other.save()
    return HttpResponse(shown)


@public_page(tags=["home"])
def live_list(request):
    """The headlines of the live stories, read first, as the home page (whose tag it carries) lists them."""
    shown = " | ".join(Article.objects.published().order_by("pk").values_list("headline", flat=True))
    while wait_until:
        time.sleep(max(0, (wait_until.pop() - timezone.now()).total_seconds()))
    while to_schedule:
        story, publish_at = to_schedule.pop()
        story.schedule(publish_at)
    return HttpResponse(shown)


urlpatterns = [
    path("headline/<int:pk>/", headline),
    path("live-list/", live_list),
    path("", include("newsdesk.urls")),
]
