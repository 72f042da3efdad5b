"""A public page with a form, for the page cache's CSRF tests."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from articles.caching import public_page

FORM = engines["django"].from_string(
    '<form method="post" action="/post/">{% csrf_token %}<button>Post</button></form>'
    '<form method="post" action="/post/">{% csrf_token %}<button>Report</button></form>'
)
rendered = []


@public_page
def form_page(request):
    rendered.append(request.path)
    return HttpResponse(FORM.render({}, request))


def post(request):
    return HttpResponse("posted")


urlpatterns = [path("form/", form_page), path("post/", post)]
