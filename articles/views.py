import base64
import datetime
from itertools import groupby

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from newsdesk.clientip import client_ip, networks
from pagecache import fragments, pages
from pagecache.pages import public_page
from staff import two_factor

from . import curation
from . import search as searching
from .forms import EARLIEST, LATEST, SearchForm, local_midnight
from .metadata import absolute
from .models import Article, Author, Correction, LiveUpdate, Section, SlugRedirect, Tag
from .pagination import PARAMS as PAGE_PARAMS
from .pagination import BadCursor, keyset_page
from .popularity import record_read
from .sitemaps import NewsSitemap

# The fragments of a story page (templates/articles/story.html) besides its comments': its head and the story.
STORY_PARTS = ("story-meta", "story")
# A story page reads ?reply_to=<comment id> (the reply form without JavaScript); see comments.templatetags.
REPLY_PARAMS = ("reply_to",)


def shows(request, *stories):
    """The page shows the cards of these stories: they are looked up at once, and record their tags
    (articles.templatetags.cards)."""
    request.__dict__.setdefault("shown_stories", []).extend(stories)


def listing(request, template, queryset, list_tag, **context):
    """A page of story cards from ``queryset``; ``list_tag`` names the list, which any story's moving in or
    out of it changes."""
    try:
        context["page_obj"] = keyset_page(queryset.for_cards(), request.GET, settings.PAGE_SIZE)
    except BadCursor:
        return render(request, "articles/bad_page_link.html", status=400)
    pages.tag(request, list_tag)
    shows(request, *context["page_obj"].object_list)
    return render(request, template, context)


@public_page(params=PAGE_PARAMS)
def home(request):
    live = Article.objects.published()
    top, sections = curation.home_lists(request, live)
    most_read = list(live.most_read()[:5])
    pages.tag(request, "most-read", *(f"story:{story.pk}" for story in most_read))
    shows(request, *top, *(story for _, stories in sections for story in stories))
    return listing(
        request,
        "articles/home.html",
        live.exclude(pk__in=[story.pk for story in top]),
        "home",
        top_stories=top,
        sections=sections,
        most_read=most_read,
    )


@public_page(params=PAGE_PARAMS)
def section(request, section):
    section = get_object_or_404(Section, slug=section)
    live = Article.objects.published()
    top = list(curation.section_top(live, section))
    shows(request, *top)
    stories = live.filter(section=section).exclude(pk__in=[story.pk for story in top])
    return listing(request, "articles/section.html", stories, f"section:{section.pk}", section=section, top_stories=top)


@public_page(params=PAGE_PARAMS)
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return listing(request, "articles/tag.html", Article.objects.published().filter(tags=tag), f"tag:{tag.pk}", tag=tag)


@public_page(params=PAGE_PARAMS)
def author(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    if author.photo_id:
        pages.tag(request, f"photo:{author.photo_id}")
    stories = Article.objects.published().filter(authors=author)
    return listing(request, "articles/author.html", stories, f"author:{author.pk}", author=author)


@public_page(params=PAGE_PARAMS)
def archive(request, year, month=None, day=None):
    # The years a story can be dated (the search form's too): /archive/9999/ would end in year 10000.
    if not EARLIEST.year <= year <= LATEST.year:
        raise Http404("No such date.")
    try:
        # /archive/2026/00/ is no month: a zero must not read as "the whole year".
        start = datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as error:
        raise Http404("No such date.") from error
    if day is not None:
        end, period = start + datetime.timedelta(days=1), "day"
    elif month is not None:
        end, period = (start + datetime.timedelta(days=32)).replace(day=1), "month"
    else:
        end, period = start.replace(year=year + 1), "year"
    stories = Article.objects.published().filter(
        publish_at__gte=local_midnight(start), publish_at__lt=local_midnight(end)
    )
    return listing(request, "articles/archive.html", stories, "archive", period=period, start=start)


@public_page
def archive_index(request):
    """Every year and month with stories, and how many: the way into the date archives."""
    years = []
    for year, months in groupby(Article.objects.published().months(), key=lambda row: row[0].year):
        months = list(months)
        years.append((year, sum(count for _, count in months), months))
    return render(request, "articles/archive_index.html", {"years": years})


def can_preview(request):
    """Staff who may read stories, and whose session has given (or need not give) its two-factor code."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        return False
    return two_factor.session_state(request, user) == two_factor.State.OK


@public_page(params=REPLY_PARAMS)
def story(request, section, year, month, day, slug):
    article = Article.objects.for_page_row().filter(slug=slug).first()
    if article is None:
        moved = SlugRedirect.objects.select_related("article__section").filter(old_path=request.path).first()
        if moved and moved.article.is_live:
            return redirect(moved.article, permanent=True)
        raise Http404("No such story.")
    if article.is_live and request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return render_story(request, article)


@public_page(params=REPLY_PARAMS)
def story_by_id(request, pk, slug=None):
    article = get_object_or_404(Article.objects.for_page_row(), pk=pk)
    if article.is_live:
        return redirect(article, permanent=True)
    return render_story(request, article)


def render_story(request, article):
    if article.is_withdrawn and not can_preview(request):
        return render(request, "articles/withdrawn.html", {"article": article}, status=410)
    if not article.is_live and not can_preview(request):
        raise Http404("No such story.")
    # Every reader of a live story sees the same story and related stories, kept as fragments: the story's
    # other rows (bylines, tags, photos, links, corrections) and its related stories are read only to render
    # them again. The comments section has fragments of its own.
    shared = article.is_live
    kept = fragments.find(request, [fragments.key(part, article.pk) for part in STORY_PARTS]) if shared else {}
    if len(kept) < len(STORY_PARTS):
        article.load_page_parts()
        pages.tag(request, *article.page_tags())
    pages.tag(request, f"story:{article.pk}", f"story-page:{article.pk}", f"comments:{article.pk}")
    return render(
        request,
        "articles/story.html",
        {
            "article": article,
            "story_tags": fragments.later(article.story_tags) if shared else None,
            "blocks": article.body_blocks,
            "preview": not article.is_live,
            "live_poll_seconds": settings.LIVE_POLL_SECONDS,
        },
    )


@public_page(params=["since"])
def live_updates(request, pk):
    """The updates of a live story after ``since`` (an update id), as JSON with their HTML, for live.js.

    Public and stored like the story page: every reader polling after the
    same update shares one stored answer until the next update is posted.
    """
    article = get_object_or_404(Article.objects.published().filter(live_coverage=True).select_related("section"), pk=pk)
    pages.tag(request, f"story:{article.pk}")  # whether the coverage still runs
    since = request.GET.get("since", "0")
    if not since.isdigit() or len(since) > 18:
        return JsonResponse({"error": "“since” must be the id of an update, e.g. ?since=42."}, status=400)
    updates = list(article.live_updates.after(int(since)))
    pages.tag(request, *article.live_feed_tags(updates))
    context = {"article": article, "story_url": article.get_absolute_url()}
    return JsonResponse(
        {
            "live": article.live_running,
            "latest": max([int(since), *(update.pk for update in updates)]),
            "updates": [
                {
                    "id": update.pk,
                    "html": render_to_string("articles/includes/live_update.html", {**context, "update": update}),
                }
                for update in updates
            ],
        }
    )


@public_page
def live_update(request, pk, update):
    """An update's permanent address: the story's current address, at the update."""
    # article__pk, not article_id: a lookup on the key itself matches nothing for an out-of-range number.
    found = get_object_or_404(LiveUpdate.objects.select_related("article__section"), pk=update, article__pk=pk)
    if not found.article.is_live:
        raise Http404("No such story.")
    pages.tag(request, f"story:{found.article_id}", f"live:{found.article_id}")  # its address; the update itself
    return HttpResponsePermanentRedirect(f"{found.article.get_absolute_url()}#{found.anchor}")


@public_page(params=["page"])
def corrections(request):
    """Every correction of a live story, newest first: what the newsroom got wrong and put right."""
    corrections = (
        Correction.objects.filter(kind=Correction.Kind.CORRECTION, article__in=Article.objects.published())
        .select_related("article__section")
        .order_by("-created_at", "-id")
    )
    page = Paginator(corrections, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/corrections.html", {"page_obj": page})


def search(request):
    """Search with filters; whatever the query string holds, a page that explains what was (not) searched."""
    form = SearchForm(request.GET or None)
    return render(request, "articles/search.html", {"form": form, "page_obj": searching.results(form)})


def news_sitemap(request):
    response = sitemap_views.sitemap(request, {"news": NewsSitemap}, template_name="sitemaps/news.xml")
    response.context_data.update(publication_name=settings.SITE_NAME, publication_language=settings.NEWS_LANGUAGE)
    return response


def robots(request):
    context = {
        "sitemap_url": absolute(reverse("sitemap_index")),
        "news_sitemap_url": absolute(reverse("articles:news_sitemap")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


# The page colour of static/css/site.css, shown while the site opens from a phone's home screen.
BACKGROUND_COLOR = "#fffdf8"
# The icons of the web app manifest: (file in static/, size, purpose).
MANIFEST_ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
]


def manifest(request):
    """The web app manifest: the name and icons a phone shows when a reader adds the site to the home screen."""
    data = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_SHORT_NAME,
        "description": settings.SITE_TAGLINE,
        "start_url": reverse("articles:home"),
        "scope": reverse("articles:home"),
        "display": "browser",
        "background_color": BACKGROUND_COLOR,
        "theme_color": settings.SITE_THEME_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in MANIFEST_ICONS
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
def read_beacon(request, pk):
    """Counts one read of a story: an image on the story page, so cached pages still count."""
    record_read(pk, networks(client_ip(request))[0])
    return HttpResponse(PIXEL, content_type="image/gif")
