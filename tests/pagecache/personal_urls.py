"""Public pages whose responses are personal after all, for the page cache's tests."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from pagecache.pages import public_page

FORM = engines["django"].from_string('<form method="post" action="/post/">{% csrf_token %}<button>Post</button></form>')
rendered = []


@public_page
def form_page(request):
    rendered.append(request.path)
    return HttpResponse(FORM.render({}, request))


@public_page
def cookie_page(request):
    rendered.append(request.path)
    response = HttpResponse("Hello again")
    response.set_cookie("seen", "1")
    return response


urlpatterns = [path("form/", form_page), path("cookie/", cookie_page)]
