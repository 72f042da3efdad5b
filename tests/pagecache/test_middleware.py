import datetime
import gzip
import hashlib
import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Article, Correction
from comments.models import Comment, CommentSettings
from pagecache.invalidation import invalidate_pages

pytestmark = pytest.mark.django_db


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def test_second_anonymous_visit_is_served_without_sql(client, make_article, django_assert_num_queries):
    story = make_article(headline="Cached headline", comments_open=False)
    first = page(client, story.get_absolute_url())
    with django_assert_num_queries(0):
        second = page(client, story.get_absolute_url())
    assert second.content == first.content
    assert "Cached headline" in second.content.decode()
    assert second["ETag"] == first["ETag"]


def test_story_with_comment_forms_is_the_same_public_page_for_every_reader(
    client, make_article, django_assert_num_queries
):
    story = make_article(headline="Open for comments")
    Comment.objects.create(
        article=story, author_name="Bo", email="bo@example.org", body="To report.", status=Comment.Status.APPROVED
    )
    first = page(client, story.get_absolute_url())
    with django_assert_num_queries(0):
        second = page(Client(), story.get_absolute_url())
    html = second.content.decode()
    assert 'id="comment-form"' in html and "/flag/" in html
    assert "csrfmiddlewaretoken" not in html
    assert second.content == first.content
    for response in (first, second):
        assert not response.cookies
        assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("url", ["/", "/world/", "/archive/2022/"])
def test_list_pages_are_cached_too(client, make_article, section, django_assert_num_queries, url):
    make_article(section=section, publish_at=datetime.datetime(2022, 5, 1, tzinfo=datetime.UTC))
    page(client, url)
    with django_assert_num_queries(0):
        page(client, url)


def test_public_pages_let_browsers_and_cdns_keep_them_briefly(client, make_article, settings):
    settings.PAGE_MAX_AGE, settings.CDN_MAX_AGE = 60, 30
    response = page(client, make_article(comments_open=False).get_absolute_url())
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    # An edge may serve it stale while it fetches it again (up to PAGE_STALE_SECONDS), and while the app is down.
    assert control == {"public", "max-age=60", "s-maxage=30", "stale-while-revalidate=60", "stale-if-error=86400"}
    assert "Cookie" in response["Vary"]
    assert response["Last-Modified"]


def test_editing_a_story_shows_at_once(client, make_article):
    story = make_article(headline="Before the edit")
    page(client, story.get_absolute_url())
    page(client, "/")
    story = Article.objects.get(pk=story.pk)
    story.headline = "After the edit"
    story.save()
    assert "After the edit" in page(client, story.get_absolute_url()).content.decode()
    assert "After the edit" in page(client, "/").content.decode()


def test_a_new_correction_shows_at_once(client, make_article):
    story = make_article()
    page(client, story.get_absolute_url())
    Correction.objects.create(article=story, text="We misspelt the minister's name.")
    assert "misspelt the minister" in page(client, story.get_absolute_url()).content.decode()


def test_withdrawn_story_disappears_at_once(client, make_article):
    story = make_article(headline="Soon withdrawn")
    url = story.get_absolute_url()
    page(client, url)
    assert "Soon withdrawn" in page(client, "/").content.decode()
    story.status = Article.Status.WITHDRAWN
    story.save()
    assert client.get(url).status_code == 410
    assert "Soon withdrawn" not in page(client, "/").content.decode()


def test_newly_published_story_reaches_the_home_page(client, make_article):
    make_article(headline="Older news")
    page(client, "/")
    make_article(headline="Breaking news")
    assert "Breaking news" in page(client, "/").content.decode()


def test_scheduled_story_appears_when_its_time_comes(client, make_article):
    make_article(headline="Already out")
    make_article(
        headline="Embargoed until now",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    before = page(client, "/")
    assert "Embargoed until now" not in before.content.decode()
    assert "max-age=1" in before["Cache-Control"] or "max-age=0" in before["Cache-Control"]
    time.sleep(1.2)
    assert "Embargoed until now" in page(client, "/").content.decode()


def test_logged_in_staff_always_get_a_fresh_private_page(client, make_article, editor, django_assert_max_num_queries):
    story = make_article()
    page(client, story.get_absolute_url())
    client.force_login(editor)
    with django_assert_max_num_queries(20) as queries:
        response = page(client, story.get_absolute_url())
    assert len(queries.captured_queries) > 0
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_reader_with_a_pending_message_gets_a_fresh_page(client, make_article, django_assert_max_num_queries):
    story = make_article()
    page(client, story.get_absolute_url())
    client.cookies["messages"] = "a pending message"
    with django_assert_max_num_queries(20) as queries:
        response = page(client, story.get_absolute_url())
    assert len(queries.captured_queries) > 0
    assert "private" in response["Cache-Control"]


def test_each_public_page_says_whether_it_was_a_hit_a_stale_copy_or_a_miss(client, make_article, editor):
    story = make_article(headline="Counted")
    url = story.get_absolute_url()
    assert page(client, url)["X-Page-Cache"] == "miss"
    assert page(client, url)["X-Page-Cache"] == "hit"
    story.standfirst = "Changed"
    story.save()
    # Another request is rebuilding the page: this one gets the previous copy, sent for revalidation.
    key = f"pages:{settings.LANGUAGE_CODE}:" + hashlib.md5(f"http://testserver{url}".encode()).hexdigest()
    cache.add(key + ":rebuild", 1, 10)
    stale = page(client, url)
    assert stale["X-Page-Cache"] == "stale" and "s-maxage=0" in stale["Cache-Control"]
    cache.delete(key + ":rebuild")
    fresh = page(client, url)
    assert fresh["X-Page-Cache"] == "miss" and "Changed" in fresh.content.decode()
    client.force_login(editor)
    assert not page(client, url).has_header("X-Page-Cache")


def test_personal_visits_do_not_fill_the_cache(client, make_article, editor, django_assert_max_num_queries):
    story = make_article()
    client.force_login(editor)
    page(client, story.get_absolute_url())
    client.logout()
    with django_assert_max_num_queries(20) as queries:
        page(client, story.get_absolute_url())
    assert len(queries.captured_queries) > 0


def test_stored_pages_are_sent_gzipped_to_browsers_that_accept_it(client, make_article):
    url = make_article(headline="Squeezed but whole").get_absolute_url()
    first = page(client, url)
    zipped = page(client, url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == first.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(first.content) / 2
    assert zipped["ETag"] == "W/" + first["ETag"]
    plain = page(client, url, HTTP_ACCEPT_ENCODING="identity")
    assert not plain.has_header("Content-Encoding")
    assert plain.content == first.content and int(plain["Content-Length"]) == len(first.content)
    for response in (first, zipped, plain):
        assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code == 304


def test_a_page_is_sent_gzipped_the_first_time_too(client, make_article):
    """As rendered, before any hit: an edge keeps the first copy it fetches, and sends it as it got it."""
    url = make_article(headline="Squeezed from the start").get_absolute_url()
    first = page(client, url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and int(first["Content-Length"]) == len(first.content)
    hit = page(client, url, HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(first.content) == gzip.decompress(hit.content)
    assert "Squeezed from the start" in gzip.decompress(first.content).decode()
    assert first["ETag"] == hit["ETag"] and first["ETag"].startswith("W/")


def test_etag_and_last_modified_give_304(client, make_article):
    url = make_article(comments_open=False).get_absolute_url()
    first = page(client, url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_404s_and_broken_page_links_are_not_cached_publicly(client, section):
    for url in ("/world/2022/01/01/missing/", "/world/?before=garbage"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert "public" not in response.get("Cache-Control", "")


def test_admin_is_never_cached(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.urls("tests.pagecache.personal_urls")
def test_a_page_that_sets_a_cookie_is_not_stored(db):
    from tests.pagecache import personal_urls

    personal_urls.rendered.clear()
    responses = [Client().get("/cookie/"), Client().get("/cookie/")]
    assert len(personal_urls.rendered) == 2
    assert all("private" in response["Cache-Control"] for response in responses)


@pytest.mark.urls("tests.pagecache.personal_urls")
def test_page_whose_form_carries_a_token_is_personal_and_not_stored(db):
    from tests.pagecache import personal_urls

    personal_urls.rendered.clear()
    responses = [Client().get("/form/"), Client().get("/form/")]
    assert len(personal_urls.rendered) == 2
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.content.decode())[1] for r in responses]
    assert tokens[0] != tokens[1]
    for response in responses:
        assert settings.CSRF_COOKIE_NAME in response.cookies
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_invalidate_pages_makes_stored_pages_stale(client, make_article, django_assert_max_num_queries):
    url = make_article().get_absolute_url()
    page(client, url)
    invalidate_pages()
    with django_assert_max_num_queries(20) as queries:
        page(client, url)
    assert len(queries.captured_queries) > 0


def test_comment_posted_from_a_stored_page_with_a_fetched_token_is_seen_by_its_author_only(make_article):
    story = make_article()
    url = story.get_absolute_url()
    Client().get(url)
    reader = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in page(reader, url).content.decode()
    token = reader.get("/comments/token/").json()["token"]
    response = reader.post(
        f"/comments/post/{story.pk}/",
        {"csrfmiddlewaretoken": token, "author_name": "Ann", "email": "ann@example.org", "body": "Well put."},
    )
    assert response.status_code == 302
    assert "Well put." in page(reader, url).content.decode()
    assert "Well put." not in page(Client(), url).content.decode()


def test_moderation_shows_at_once(make_article):
    story = make_article()
    url = story.get_absolute_url()
    pending = Comment.objects.create(
        article=story, author_name="Bo", email="bo@example.org", body="Held comment.", status=Comment.Status.PENDING
    )
    assert "Held comment." not in page(Client(), url).content.decode()
    Comment.objects.filter(pk=pending.pk).moderate(Comment.Status.APPROVED, None)
    assert "Held comment." in page(Client(), url).content.decode()
    Comment.objects.filter(pk=pending.pk).moderate(Comment.Status.REJECTED, None, "Off topic")
    assert "Held comment." not in page(Client(), url).content.decode()


def test_closing_comments_in_the_settings_removes_the_form_at_once(make_article):
    story = make_article(publish_at=timezone.now() - datetime.timedelta(days=30))
    url = story.get_absolute_url()
    assert 'id="comment-form"' in page(Client(), url).content.decode()
    CommentSettings.objects.create(close_after_days=14)
    assert 'id="comment-form"' not in page(Client(), url).content.decode()


def test_only_public_pages_are_looked_up_in_the_cache(client, make_article, monkeypatch):
    from django.core.cache import cache

    story = make_article()
    lookups = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: lookups.append(keys) or real_get_many(keys))
    for address in (f"/story/{story.pk}/read.gif", "/comments/token/", "/missing.txt"):
        client.get(address)
    assert lookups == []
    page(client, story.get_absolute_url())
    lookups.clear()
    # A stored page, its tags' versions, the generation and the clock: one read.
    page(client, story.get_absolute_url())
    assert len(lookups) == 1


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI's PostgreSQL run sets it)")
def test_redis_cache_keeps_one_client_per_pool(db):
    from django.core.cache import cache

    backend = cache._cache
    assert backend.get_client() is backend.get_client()
    assert backend.get_client(write=True) is backend.get_client(write=True)
    cache.set("client-check", "stored")
    assert cache.get("client-check") == "stored"


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI's PostgreSQL run sets it)")
def test_on_redis_a_hit_asks_nothing_until_redis_reports_a_change(
    client, make_article, monkeypatch, django_assert_max_num_queries
):
    """The generation and the clock are read again when Redis reports that one changed (a change
    committed, the cache flushed), not at every hit: this process's copy of the page is served meanwhile."""
    from django.core.cache import cache

    from pagecache.invalidation import CLOCK_KEY, GENERATION_KEY

    story = make_article(headline="Filed at noon")
    url = story.get_absolute_url()
    # A reading that stands a minute: only Redis's report of a change, not its age, makes it read again.
    monkeypatch.setattr(cache.watch(GENERATION_KEY, CLOCK_KEY), "standing", 60)
    page(client, url)
    page(client, url)
    lookups = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: lookups.append(keys) or real_get_many(keys))
    # Redis's reports of the writes before (the flush at the test's start, the first render's) may come
    # in after the last reading, and make one more; from then on nothing changes.
    page(client, url)
    lookups.clear()
    for _ in range(3):
        assert "Filed at noon" in page(client, url).content.decode()
    assert lookups == []

    story.headline = "Filed at one"
    story.save()
    assert "Filed at one" in page(client, url).content.decode()
    assert lookups

    page(client, url)
    cache.clear()
    with django_assert_max_num_queries(50) as queries:
        assert "Filed at one" in page(client, url).content.decode()
    assert queries.captured_queries, "rendered again: the flush took the generation"


def test_the_reader_whose_visit_stores_a_page_gets_it_gzipped_too(client, make_article):
    url = make_article(headline="Compressed from the start").get_absolute_url()
    first = page(client, url, HTTP_ACCEPT_ENCODING="gzip, br")
    again = page(client, url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert first.content == again.content and int(first["Content-Length"]) == len(first.content)
    assert first["ETag"] == again["ETag"] and first["ETag"].startswith("W/")
    assert b"Compressed from the start" in gzip.decompress(first.content)
