"""Hostile XML: each attack is refused before anything is stored, and nothing is fetched."""

import http.server
import threading

import pytest
from django.core.management import CommandError

from articles.models import Article

pytestmark = pytest.mark.django_db

CHANNEL = """<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://evil.example</wp:base_site_url>
<item><title>{title}</title><wp:post_id>1</wp:post_id><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>
<content:encoded>{body}</content:encoded></item></channel></rss>"""


@pytest.fixture
def listener():
    """A local web server that records every request made to it."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "fetched">')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()


def refused(run_import, path):
    with pytest.raises(CommandError) as error:
        run_import("import_wordpress", path)
    assert "refused for safety" in str(error.value) and "Nothing was imported." in str(error.value)
    assert not Article.objects.exists()


def test_billion_laughs_is_refused(run_import, tmp_path):
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    path = tmp_path / "laughs.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(levels)}]>' + CHANNEL.format(title="&lol9;", body="x")
    )
    refused(run_import, path)


def test_an_external_file_entity_is_refused(run_import, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the password")
    path = tmp_path / "file-entity.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>'
        + CHANNEL.format(title="&s;", body="x")
    )
    refused(run_import, path)


def test_an_external_network_entity_is_refused_and_never_fetched(run_import, tmp_path, listener):
    base, requests = listener
    path = tmp_path / "net-entity.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY n SYSTEM "{base}/entity">]>'
        + CHANNEL.format(title="&n;", body="x")
    )
    refused(run_import, path)
    assert requests == []


def test_a_parameter_entity_and_an_external_dtd_are_never_fetched(run_import, tmp_path, listener):
    base, requests = listener
    for name, doctype in {
        "param.xml": f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{base}/param.dtd"> %p;]>',
        "dtd.xml": f'<!DOCTYPE rss SYSTEM "{base}/external.dtd">',
    }.items():
        path = tmp_path / name
        path.write_text(f'<?xml version="1.0"?>{doctype}' + CHANNEL.format(title="Plain", body="x"))
        try:
            run_import("import_wordpress", path)
        except CommandError as error:
            assert "Nothing was imported." in str(error)
    assert requests == []
    assert not Article.objects.filter(body__contains="fetched").exists()


def test_any_doctype_is_refused_at_the_first_element(run_import, tmp_path):
    """WordPress never writes a DOCTYPE; it is where entities and external DTDs are declared."""
    path = tmp_path / "doctype.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE rss>' + CHANNEL.format(title="Plain", body="x"))
    refused(run_import, path)


def test_an_undeclared_entity_is_refused_as_not_well_formed(run_import, tmp_path):
    path = tmp_path / "undeclared.xml"
    path.write_text(CHANNEL.format(title="&secret;", body="x"))
    with pytest.raises(CommandError, match="not well-formed XML.*Nothing was imported"):
        run_import("import_wordpress", path)
    assert not Article.objects.exists()
