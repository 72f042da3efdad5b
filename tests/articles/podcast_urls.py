"""The site's URLconf with one more address of its own, for the section slug tests."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [path("podcasts/", lambda request: HttpResponse("Podcasts")), path("", include("newsdesk.urls"))]
