import datetime
import http.server
import threading

import pytest
from django.core.management import CommandError

from archive.models import Redirect
from articles.models import Article

from .conftest import FILES

pytestmark = pytest.mark.django_db


def test_atom_entries_become_stories(run_import):
    report, _ = run_import("import_feed", FILES / "gazette.atom")
    story = Article.objects.get()
    assert story.headline == "Bridge reopens" and story.status == Article.Status.PUBLISHED
    assert story.publish_at == datetime.datetime(2020, 6, 2, 7, 0, tzinfo=datetime.UTC)
    assert story.section.slug == "transport" and list(story.tags.values_list("slug", flat=True)) == ["bridges"]
    assert [author.name for author in story.byline_authors] == ["Jane Doe"]
    assert story.standfirst == "Traffic flows again."
    assert story.body == "<p>Traffic flows again over the river.</p><p>مرحبا 🌉 C:\\road\\</p>"
    assert Redirect.objects.get().old_path == "/news/bridge-reopens.html"
    assert "stories: 1 created, 1 failed" in report
    assert "failed: stories tag:gazette.example,2020:undated: no publication date" in report
    report, _ = run_import("import_feed", FILES / "gazette.atom")
    assert "stories: 1 unchanged, 1 failed" in report and Article.objects.count() == 1


def test_rss_items_become_stories_with_paragraphs(run_import):
    run_import("import_feed", FILES / "gazette.rss")
    story = Article.objects.get()
    assert story.body == "<p>The market moves to Tuesdays.</p>\n<p>Stalls open at eight.</p>"
    assert story.section.slug == "local" and story.byline_authors[0].name == "Sami"
    assert Redirect.objects.get().old_path == "/?p=77"


def test_a_feed_is_fetched_from_its_address(run_import):
    body = (FILES / "gazette.rss").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run_import("import_feed", f"http://127.0.0.1:{server.server_port}/feed/", dry_run=True)
        assert not Article.objects.exists()
        run_import("import_feed", f"http://127.0.0.1:{server.server_port}/feed/")
    finally:
        server.shutdown()
    assert Article.objects.get().headline == "Market day moves"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<html><body>hi</body></html>", "not an RSS or Atom feed"),
        ('<rss version="2.0"><channel><item><title>cut', "not well-formed XML"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel>&a;</channel></rss>',
            "refused for safety",
        ),
    ],
)
def test_a_broken_or_hostile_feed_is_refused(run_import, tmp_path, text, message):
    path = tmp_path / "feed.xml"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        run_import("import_feed", path)
    assert not Article.objects.exists()


def test_an_unreachable_address_is_refused(run_import):
    with pytest.raises(CommandError, match="could not be fetched"):
        run_import("import_feed", "http://127.0.0.1:9/feed/")
