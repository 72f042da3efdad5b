"""Query strings cannot bypass the page cache: only the parameters a view reads tell stored pages apart."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pagecache.invalidation import CLOCK_KEY, GENERATION_KEY, VERSION_SECONDS, version_key
from tests.pagecache.stored import stored_keys

pytestmark = pytest.mark.django_db


def test_two_thousand_tracking_values_add_no_entry_and_cause_no_render(make_article, django_assert_num_queries):
    make_article(headline="Front page story")
    canonical = Client().get("/")
    keys = stored_keys()
    with django_assert_num_queries(0):
        for n in range(2000):
            response = Client().get("/", {"utm_source": f"newsletter-{n}", "utm_medium": "email"})
            assert response.status_code == 200
            assert response.content == canonical.content
    assert stored_keys() == keys


@pytest.mark.parametrize("query", ["fbclid=abc123", "gclid=x&utm_campaign=spring", "x=0.123456", "page=&zz=1"])
def test_unknown_parameters_are_served_the_canonical_page(client, make_article, django_assert_num_queries, query):
    make_article(headline="Front page story")
    canonical = client.get("/")
    with django_assert_num_queries(0):
        response = client.get(f"/?{query}")
    assert response.status_code == 200
    assert response.content == canonical.content
    assert "public" in response["Cache-Control"]


def test_the_view_never_sees_parameters_it_does_not_declare(make_article):
    """Else the first reader's ?q= (echoed by the search box) would be stored and shown to everyone."""
    make_article()
    first = Client().get("/", {"q": "planted-by-first-reader"})
    assert "planted-by-first-reader" not in first.content.decode()
    assert "planted-by-first-reader" not in Client().get("/").content.decode()


def test_each_page_of_a_list_is_stored_once_whatever_else_the_link_carries(make_article, settings):
    settings.PAGE_SIZE = 2
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(5):
        make_article(headline=f"Story number {n}", publish_at=start + datetime.timedelta(minutes=n))
    first = Client().get("/")
    next_query = first.context["page_obj"].next_query
    second = Client().get(f"/{next_query}")
    assert second.status_code == 200
    assert second.content != first.content
    keys = stored_keys()
    # The same parameters in another order, repeated, or with tracking ones: the same stored page.
    params = dict(pair.split("=") for pair in next_query.lstrip("?").split("&"))
    reordered = "&".join(f"{name}={value}" for name, value in reversed(params.items()))
    for query in (f"?{reordered}", f"{next_query}&utm_source=x", f"?before=0.1&{next_query.lstrip('?')}"):
        response = Client().get(f"/{query}")
        assert response.content == second.content, query
    assert stored_keys() == keys


def test_sitemap_pages_are_told_apart_by_p_only(make_article, settings, django_assert_num_queries):
    settings.SITEMAP_LIMIT = 1
    make_article(headline="One")
    make_article(headline="Two")
    first = Client().get("/sitemap-stories.xml")
    second = Client().get("/sitemap-stories.xml?p=2")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    with django_assert_num_queries(0):
        assert Client().get("/sitemap-stories.xml?p=2&utm_source=x").content == second.content


def test_the_reply_link_of_a_story_page_still_works_without_javascript(make_article):
    from comments.models import Comment

    story = make_article()
    comment = Comment.objects.create(
        article=story, author_name="Bo", email="bo@example.org", body="First!", status=Comment.Status.APPROVED
    )
    html = Client().get(f"{story.get_absolute_url()}?reply_to={comment.pk}&utm_source=x").content.decode()
    assert "Reply to Bo" in html
    assert "Reply to Bo" not in Client().get(story.get_absolute_url()).content.decode()


def test_stored_pages_expire_by_themselves(make_article):
    """Memory stays bounded: every entry has a lifetime (and the embedded cache a maximum number of entries)."""
    make_article()
    Client().get("/")
    if settings.REDIS_URL:
        client = cache._cache.get_client()
        keys = list(client.scan_iter(match=cache.make_key("pages:*")))
        ttls = {key: client.ttl(key) for key in keys}
        # The generation and the clock are the two keys that must stay; a tag's version may outlive pages.
        lasting = {cache.make_key(name).encode() for name in (GENERATION_KEY, CLOCK_KEY)}
        assert set(ttls) > lasting
        for key, ttl in ttls.items():
            if key.startswith(cache.make_key(version_key("")).encode()):
                assert 0 < ttl <= VERSION_SECONDS
            elif key not in lasting:
                assert 0 < ttl <= settings.PAGE_CACHE_SECONDS + settings.PAGE_STALE_SECONDS
    else:
        assert cache._max_entries == settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] > 0
