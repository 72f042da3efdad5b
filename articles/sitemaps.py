"""sitemap.xml (an index of paginated parts) and the Google News sitemap."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone

from newsdesk.text import xml_safe

from .models import Article, Author, Section, Tag


class SiteSitemap(Sitemap):
    """Locations on SITE_URL, the site's public address, whatever host the request came to."""

    @property
    def limit(self):
        return settings.SITEMAP_LIMIT

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StorySitemap(SiteSitemap):
    changefreq = "never"

    def items(self):
        return (
            Article.objects.published()
            .indexable()
            .select_related("section")
            .only("slug", "publish_at", "updated_at", "section__slug")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at or item.publish_at

    def get_latest_lastmod(self):
        """One aggregate, instead of Django's default of loading every story to find the latest."""
        indexed = Article.objects.published().indexable()
        latest = indexed.aggregate(published=Max("publish_at"), updated=Max("updated_at"))
        return max(filter(None, latest.values()), default=None)


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.only("slug")


class TagSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Tag.objects.only("slug").order_by("pk")


class AuthorSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Author.objects.only("slug").order_by("pk")


SITEMAPS = {"stories": StorySitemap, "sections": SectionSitemap, "tags": TagSitemap, "authors": AuthorSitemap}


class NewsSitemap(SiteSitemap):
    """Stories of the last NEWS_SITEMAP_HOURS, with the news: details Google News asks for (1,000 at most)."""

    limit = 1000

    def items(self):
        since = timezone.now() - datetime.timedelta(hours=settings.NEWS_SITEMAP_HOURS)
        return (
            Article.objects.published()
            .indexable()
            .filter(publish_at__gte=since)
            .select_related("section")
            .only("headline", "slug", "publish_at", "updated_at", "section__slug")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at or item.publish_at

    def get_urls(self, *args, **kwargs):
        """Each URL with its story's headline made XML-safe, for the template's <news:title>."""
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["title"] = xml_safe(url["item"].headline)
        return urls
