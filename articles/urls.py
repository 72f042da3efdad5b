from django.urls import path, register_converter

from . import views


class FourDigitYear:
    regex = r"[0-9]{4}"
    to_python = int

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigit:
    regex = r"[0-9]{2}"
    to_python = int

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigit, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("author/<slug:slug>/", views.author, name="author"),
    path("archive/<yyyy:year>/", views.archive, name="archive_year"),
    path("archive/<yyyy:year>/<mm:month>/", views.archive, name="archive_month"),
    path("archive/<yyyy:year>/<mm:month>/<mm:day>/", views.archive, name="archive_day"),
    path("story/<int:pk>/", views.story_by_id, name="story_by_id_bare"),
    path("story/<int:pk>/<slug:slug>/", views.story_by_id, name="story_by_id"),
    path("<slug:section>/", views.section, name="section"),
    path(
        "<slug:section>/<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        views.story,
        name="story",
    ),
]
