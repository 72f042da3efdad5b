"""HTTP details browsers and crawlers rely on: content codings by q-value, the favicon, the web app
manifest, and short story links that reach the story in one redirect."""

import gzip
import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from PIL import Image

from newsdesk.encodings import accepts


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        ("gzip, deflate, br", True),
        ("gzip;q=0", False),
        ("GZIP ; Q=0.000", False),
        ("br;q=1.0, gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("*;q=0", False),
        ("*, gzip;q=0", False),
        ("deflate, *;q=0.1", True),
        ("gzip;q=2", False),  # not a q-value: the element is ignored
        ("gzip;q=abc", False),
        ("identity", False),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding_reads_q_values(header, gzip_ok):
    assert accepts(header, "gzip") is gzip_ok


def test_stored_page_is_not_gzipped_when_gzip_has_q_0(client, make_article):
    url = make_article(headline="Plain please").get_absolute_url()
    first = client.get(url)
    for header in ("gzip;q=0", "gzip;q=0, br;q=0", "*;q=0", "identity, gzip;q=0"):
        stored = client.get(url, HTTP_ACCEPT_ENCODING=header)
        assert not stored.has_header("Content-Encoding"), header
        assert stored.content == first.content
    assert client.get(url, HTTP_ACCEPT_ENCODING="br, gzip;q=0.5")["Content-Encoding"] == "gzip"


def test_static_files_are_not_gzipped_when_gzip_has_q_0(tmp_path):
    """WhiteNoise sends a file's .gz twin to any header that names gzip: it gets the header the browser meant."""
    text = b"body { color: black; }\n" * 50
    (tmp_path / "plain.css").write_bytes(text)
    (tmp_path / "plain.css.gz").write_bytes(gzip.compress(text))
    with override_settings(WHITENOISE_ROOT=tmp_path):
        browser = Client()  # WhiteNoise reads its files when the handler starts
        assert browser.get("/plain.css", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
        refused = browser.get("/plain.css", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
        assert not refused.has_header("Content-Encoding")
        assert b"".join(refused.streaming_content) == text


def test_favicon_is_at_the_root_and_linked(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'rel="apple-touch-icon"' in html


def test_web_app_manifest_is_linked_valid_and_its_icons_exist(client, db, settings):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.SITE_NAME and manifest["start_url"] == "/"
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


@pytest.mark.parametrize("suffix", ["", "/", "/old-slug", "/old-slug/"])
def test_short_story_links_reach_the_story_in_one_redirect(client, make_article, suffix):
    story = make_article(slug="the-story")
    response = client.get(f"/story/{story.pk}{suffix}")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
