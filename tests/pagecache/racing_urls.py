"""A public page during whose rendering an editor's change commits, for the page cache's tests."""

from django.http import HttpResponse
from django.urls import include, path

from articles.models import Article
from pagecache.pages import public_page, tag

# Headlines an editor saves while the next render of the page is under way.
edits = []
# Other stories (their ids) an editor saves meanwhile: changes the page does not show.
elsewhere = []


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


urlpatterns = [path("headline/<int:pk>/", headline), path("", include("newsdesk.urls"))]
