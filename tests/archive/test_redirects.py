import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive.models import Redirect
from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(make_article):
    return make_article(headline="The moved story", slug="moved-story")


def redirect_queries(queries):
    return [query["sql"] for query in queries if "archive_redirect" in query["sql"]]


def test_a_legacy_path_sends_readers_to_the_story_and_counts_the_hit(client, live):
    Redirect.objects.create(old_path="/2019/05/03/old-slug/", article=live)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/2019/05/03/old-slug/")
    assert response.status_code == 301
    assert response["Location"] == live.get_absolute_url()
    assert len(redirect_queries(queries)) == 1
    redirect = Redirect.objects.get()
    assert redirect.hits == 1 and timezone.now() - redirect.last_hit < datetime.timedelta(minutes=1)
    client.get("/2019/05/03/old-slug/")
    assert Redirect.objects.get().hits == 2


def test_a_wordpress_id_on_the_front_page_redirects_instead_of_showing_it(client, live):
    Redirect.objects.create(old_path="/?p=10", article=live)
    response = client.get("/?p=10")
    assert response.status_code == 301 and response["Location"] == live.get_absolute_url()
    assert client.get("/?p=11").status_code == 200  # an unknown id: the front page, as WordPress would


def test_302_to_an_address_and_410_gone(client):
    Redirect.objects.create(old_path="/shop/", url="https://shop.example/", kind=Redirect.Kind.FOUND)
    Redirect.objects.create(old_path="/old-contest/", kind=Redirect.Kind.GONE)
    response = client.get("/shop/")
    assert response.status_code == 302 and response["Location"] == "https://shop.example/"
    assert "no-cache" in response["Cache-Control"]
    gone = client.get("/old-contest/")
    assert gone.status_code == 410
    assert "<h1>This page is gone</h1>" in gone.content.decode()


def test_a_redirect_to_a_story_not_live_stays_a_404(client, make_article):
    draft = make_article(status="draft", slug="not-yet")
    Redirect.objects.create(old_path="/2019/05/03/draft/", article=draft)
    assert client.get("/2019/05/03/draft/").status_code == 404


def test_an_unknown_address_costs_one_indexed_lookup(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/no/such/page/").status_code == 404
    lookups = redirect_queries(queries)
    assert len(lookups) == 1 and '"old_path" IN' in lookups[0]


def test_a_cached_page_costs_no_query(client, live, settings):
    settings.PAGE_CACHE_SECONDS = 600
    url = live.get_absolute_url()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0


def test_slug_changes_still_use_the_stories_own_redirects(client, live):
    old = live.get_absolute_url()
    live = Article.objects.get(pk=live.pk)
    live.slug = "renamed-story"
    live.save()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == live.get_absolute_url()
    assert not Redirect.objects.exists()


def test_editors_export_and_import_redirects_as_csv(client, editor, live):
    Redirect.objects.create(old_path="/a/", article=live, note="by hand")
    Redirect.objects.create(old_path="/b/", kind=Redirect.Kind.GONE)
    client.force_login(editor)
    exported = client.get("/admin/archive/redirect/export-csv/")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    lines = exported.content.decode().splitlines()
    assert lines[0] == "old_path,status,story_id,url,note,hits,last_hit"
    assert lines[1] == f"/a/,301,{live.pk},,by hand,0,"
    assert lines[2] == "/b/,410,,,,0,"
    upload = (
        "old_path,status,story_id,url,note\n"
        "/a/,302,,https://elsewhere.example/,moved again\n"
        f"https://old.example/c/?x=1,301,{live.pk},,\n"
        "/d/,999,,,\n"
        "/e/,301,,,\n"
        "/f/,301,987654,,\n"
    )
    response = client.post(
        "/admin/archive/redirect/import-csv/",
        {"file": SimpleUploadedFile("r.csv", upload.encode(), content_type="text/csv")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 4: status must be 301, 302 or 410" in page
    assert "Line 5: Choose either a story or an address" in page
    assert "Line 6: there is no story 987654." in page
    a = Redirect.objects.get(old_path="/a/")
    assert (a.kind, a.url, a.article_id) == (302, "https://elsewhere.example/", None)
    assert Redirect.objects.get(old_path="/c/?x=1").article == live
    assert Redirect.objects.count() == 3


def test_a_csv_that_is_not_one_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/archive/redirect/import-csv/",
        {"file": SimpleUploadedFile("r.csv", b"\xff\xfe\x00garbage", content_type="text/csv")},
    )
    assert response.status_code == 200 and "The file is not UTF-8 text." in response.content.decode()


def test_the_redirect_list_shows_hits_and_last_hit(client, editor, live):
    Redirect.objects.create(old_path="/popular/", article=live, hits=42, last_hit=timezone.now())
    client.force_login(editor)
    page = client.get("/admin/archive/redirect/").content.decode()
    assert "/popular/" in page and ">42<" in page and "The moved story" in page
    assert "Import CSV" in page
    assert client.get("/admin/archive/redirect/add/").status_code == 200
