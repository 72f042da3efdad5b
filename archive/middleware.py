"""Old addresses: answered from the Redirect table only where the site itself has nothing.

Placed before the page cache, so that a cached page costs no redirect lookup
at all. The lookup (one indexed UPDATE ... RETURNING that also counts the hit)
runs only for a request that ends in 404, and for the front page asked with
a WordPress id in its query (``/?p=123``), which would otherwise show the
front page itself.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from articles.models import Article

from .models import Redirect

WORDPRESS_IDS = frozenset({"p", "page_id", "attachment_id"})


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path == "/" and WORDPRESS_IDS & request.GET.keys():
            response = self.redirect(request)
            if response is not None:
                return response
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return self.redirect(request) or response
        return response

    def redirect(self, request):
        response = self.legacy_response(request)
        if response is not None:
            if response.status_code == 302:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
        return response

    @staticmethod
    def legacy_response(request):
        query = request.META.get("QUERY_STRING", "")
        paths = [f"{request.path}?{query}", request.path] if query else [request.path]
        found = Redirect.objects.hit(paths)
        if found is None:
            return None
        if found.kind == Redirect.Kind.GONE:
            response = TemplateResponse(request, "archive/gone.html", status=410)
            return response.render()
        if found.article_id:
            article = Article.objects.select_related("section").filter(pk=found.article_id).first()
            if article is None or not article.is_live:
                return None
            target = article.get_absolute_url()
        else:
            target = found.url
        response_class = HttpResponsePermanentRedirect if found.kind == Redirect.Kind.MOVED else HttpResponseRedirect
        return response_class(target)
