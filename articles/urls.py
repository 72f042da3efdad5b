from django.urls import path, register_converter

from pagecache.pages import public_page

from . import feeds, views


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
    path("archive/", views.archive_index, name="archive_index"),
    path("archive/<yyyy:year>/", views.archive, name="archive_year"),
    path("archive/<yyyy:year>/<mm:month>/", views.archive, name="archive_month"),
    path("archive/<yyyy:year>/<mm:month>/<mm:day>/", views.archive, name="archive_day"),
    path("story/<int:pk>/", views.story_by_id, name="story_by_id_bare"),
    path("story/<int:pk>/<slug:slug>/", views.story_by_id, name="story_by_id"),
    # Short links typed or shared without the final slash: to the story in one redirect, not two.
    path("story/<int:pk>", views.story_by_id),
    path("story/<int:pk>/<slug:slug>", views.story_by_id),
    path("story/<int:pk>/read.gif", views.read_beacon, name="read_beacon"),
    path("story/<int:pk>/updates.json", views.live_updates, name="live_updates"),
    path("story/<int:pk>/updates/<int:update>/", views.live_update, name="live_update"),
    path("corrections/", views.corrections, name="corrections"),
    path("search/", views.search, name="search"),
    path("robots.txt", public_page(views.robots, tags=["robots"]), name="robots"),
    path("manifest.webmanifest", public_page(views.manifest), name="manifest"),
    path("news-sitemap.xml", public_page(views.news_sitemap, params=["p"], tags=["sitemaps"]), name="news_sitemap"),
    path("feeds/rss/", public_page(feeds.SiteFeed(feeds.RssFeed)), name="feed_rss"),
    path("feeds/atom/", public_page(feeds.SiteFeed(feeds.AtomFeed)), name="feed_atom"),
    path("feeds/section/<slug:slug>/rss/", public_page(feeds.SectionFeed(feeds.RssFeed)), name="section_feed_rss"),
    path("feeds/section/<slug:slug>/atom/", public_page(feeds.SectionFeed(feeds.AtomFeed)), name="section_feed_atom"),
    path("feeds/author/<slug:slug>/rss/", public_page(feeds.AuthorFeed(feeds.RssFeed)), name="author_feed_rss"),
    path("feeds/author/<slug:slug>/atom/", public_page(feeds.AuthorFeed(feeds.AtomFeed)), name="author_feed_atom"),
    path("feeds/tag/<slug:slug>/rss/", public_page(feeds.TagFeed(feeds.RssFeed)), name="tag_feed_rss"),
    path("feeds/tag/<slug:slug>/atom/", public_page(feeds.TagFeed(feeds.AtomFeed)), name="tag_feed_atom"),
    path("<slug:section>/", views.section, name="section"),
    path(
        "<slug:section>/<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        views.story,
        name="story",
    ),
]
