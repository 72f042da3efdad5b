"""A public page whose form carries a CSRF token, for the page cache's tests."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from articles.caching import public_page

FORM = engines["django"].from_string('<form method="post" action="/post/">{% csrf_token %}<button>Post</button></form>')
rendered = []


@public_page
def form_page(request):
    rendered.append(request.path)
    return HttpResponse(FORM.render({}, request))


urlpatterns = [path("form/", form_page)]
