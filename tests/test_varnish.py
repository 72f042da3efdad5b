"""A real Varnish with deploy/varnish/default.vcl in front of the live server: what it keeps, what a change purges.

Needs Debian's ``varnish`` and ``varnish-modules`` (xkey); without them the
tests are skipped with a message, and with ``CI`` set they fail instead.
"""

import contextlib
import datetime
import gzip
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VCL = Path(settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"
# The parameters the deployment documents (and bench/run uses): its header limits among them.
PARAMS = VCL.with_name("varnishd.params")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Switch:
    """A TCP forwarder between Varnish and the live server that can be switched off: the app going down."""

    def __init__(self, backend_port):
        self.backend_port = backend_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.open = []
        threading.Thread(target=self.accept, daemon=True).start()

    def off(self):
        """The app goes down: new connections are refused and the open ones (Varnish keeps some) are cut."""
        self.up = False
        for connection in self.open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.backend_port))
            self.open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self.pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def pipe(source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


@pytest.fixture
def switch(live_server):
    return Switch(int(live_server.url.rsplit(":", 1)[1]))


@pytest.fixture
def varnish(request, live_server, tmp_path, settings):
    """varnishd on a free local port in front of the live server (or the ``switch`` in front of it, when the
    test asks for one); the app purges it. Yields its address."""
    if not shutil.which("varnishd"):
        reason = "varnishd not found: apt-get install varnish varnish-modules"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(reason)
    backend = (
        request.getfixturevalue("switch").port
        if "switch" in request.fixturenames
        else int(live_server.url.rsplit(":", 1)[1])
    )
    # Probed more often than in production, so that an outage is noticed within a second.
    vcl = (
        VCL.read_text().replace('.port = "8000";', f'.port = "{backend}";').replace("interval = 2s", "interval = 0.2s")
    )
    (tmp_path / "site.vcl").write_text(vcl)
    port = free_port()
    command = [
        "varnishd",
        "-F",
        "-j",
        "none",
        "-n",
        str(tmp_path / "varnish"),
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(tmp_path / "site.vcl"),
        "-s",
        "malloc,32m",
        *shlex.split(PARAMS.read_text(), comments=True),
        "-p",
        "thread_pools=1",
        "-p",
        "thread_pool_min=10",
        "-p",
        "thread_pool_max=50",
        "-p",
        "vsl_space=1m",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    pytest.fail(f"varnishd did not start: {output}")
                time.sleep(0.1)
        settings.EDGE_PURGE_URLS = [address + "/"]
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(varnish, path, cookie=None, method="GET", headers=None, source="127.0.0.1"):
    """(status, X-Cache, body) of ``path`` through Varnish, asked from the address ``source``."""
    status, headers, body = exchange(varnish, path, cookie, method, headers, source)
    return status, headers.get("x-cache"), body.decode()


def exchange(varnish, path, cookie=None, method="GET", headers=None, source="127.0.0.1"):
    """(status, {lowercased name: value}, body bytes) of ``path`` through Varnish, asked from ``source``.

    A raw HTTP/1.1 request, so that it can come from another local address.
    """
    host, port = varnish.removeprefix("http://").split(":")
    headers = {"Host": "localhost", "Connection": "close", **({"Cookie": cookie} if cookie else {}), **(headers or {})}
    with socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0)) as connection:
        request = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        connection.sendall((request + "\r\n").encode())
        raw = b""
        while chunk := connection.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return int(lines[0].split()[1]), headers, body


def dechunk(body):
    out = b""
    while body:
        size, _, rest = body.partition(b"\r\n")
        size = int(size, 16)
        if not size:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return out


def copy_of(varnish, path):
    """(X-Cache, the id of the stored copy served, body) of ``path``: the id changes when Varnish fetches it again."""
    status, headers, body = exchange(varnish, path)
    assert status == 200, path
    return headers.get("x-cache"), headers["x-varnish"].split()[-1], body.decode()


def refetched(varnish, path, before, seconds=10):
    """The body of ``path`` once Varnish serves a copy other than ``before`` (an id from ``copy_of``), fetched
    in the background after a soft purge; fails if none comes within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state, copy, body = copy_of(varnish, path)
        if copy != before:
            assert state == "HIT", f"{path}: the refreshed copy is served from the cache"
            return body
        time.sleep(0.05)
    pytest.fail(f"{path}: still the copy from before the purge after {seconds} s")


def cached(varnish, *paths):
    """Ask for each page until Varnish keeps it; returns {path: body}."""
    bodies = {}
    for path in paths:
        status, _, bodies[path] = fetch(varnish, path)
        assert status == 200, path
        assert fetch(varnish, path)[1] == "HIT", path
    return bodies


@pytest.fixture
def two_stories(make_article, make_section, make_author, make_tag):
    """Two stories that share nothing: section, author, tag."""
    story = make_article(
        headline="Harbour bridge reopens", section=make_section("City"), authors=[make_author()], tags=[make_tag()]
    )
    other = make_article(
        headline="Rovers win the cup", section=make_section("Sport"), authors=[make_author()], tags=[make_tag()]
    )
    return story, other


def pages_of(story):
    byline = story.bylines.get()
    return {
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": story.tags.get().get_absolute_url(),
        "author": byline.author.get_absolute_url(),
        "section feed": f"/feeds/section/{story.section.slug}/rss/",
    }


def test_anonymous_pages_are_kept_and_served_as_hits(varnish, two_stories):
    story, _ = two_stories
    for path in ["/", *pages_of(story).values(), "/feeds/rss/", "/sitemap.xml"]:
        status, first, body = fetch(varnish, path)
        assert status == 200 and first == "MISS", path
        assert fetch(varnish, path)[1] == "HIT", path
    assert "Harbour bridge reopens" in body or path == "/sitemap.xml"


def test_editing_a_story_purges_its_pages_softly_and_nothing_else(varnish, two_stories):
    """A routine edit: each of its pages is served from the previous copy once more while one background
    fetch gets the new one, which is served shortly after; the other story's pages are not fetched again."""
    story, other = two_stories
    purged = {"home": "/", "site feed": "/feeds/rss/", **pages_of(story)}
    kept = pages_of(other)
    cached(varnish, *purged.values(), *kept.values())
    copies = {path: copy_of(varnish, path)[1] for path in [*purged.values(), *kept.values()]}

    story = Article.objects.get(pk=story.pk)
    story.headline = "Harbour bridge reopens after repairs"
    story.save()

    for name, path in purged.items():
        state, copy, body = copy_of(varnish, path)
        assert (state, copy) == ("HIT", copies[path]), f"{name}: the previous copy, at once"
        assert "Harbour bridge reopens after repairs" not in body, name
    for name, path in purged.items():
        assert "Harbour bridge reopens after repairs" in refetched(varnish, path, copies[path]), name
    for name, path in kept.items():
        assert copy_of(varnish, path)[:2] == ("HIT", copies[path]), name


def test_a_withdrawn_story_is_gone_from_the_very_next_request(varnish, two_stories):
    """Urgent: a hard purge, so no reader is served a copy that still shows the story."""
    story, _ = two_stories
    pages = {"home": "/", "site feed": "/feeds/rss/", **pages_of(story)}
    pages.pop("tag"), pages.pop("author")  # without their one story, these answer 404
    cached(varnish, *pages.values())

    Article.objects.get(pk=story.pk).withdraw()

    status, state, _ = fetch(varnish, story.get_absolute_url())
    assert (status, state) == (410, "MISS")
    for name, path in pages.items():
        status, state, body = fetch(varnish, path)
        assert "Harbour bridge reopens" not in body, name
        assert state == "MISS", name


def test_the_home_page_with_its_many_tags_is_kept_and_purged_by_any_of_them(
    varnish, make_article, make_author, make_section
):
    """A card per story in several sections, each with its own author and comment count: about a hundred tags."""
    sections = [make_section(f"Desk {n}") for n in range(8)]
    stories = [
        make_article(headline=f"Story by reporter {n}", authors=[make_author()], section=sections[n % 8])
        for n in range(48)
    ]
    status, state, body = fetch(varnish, "/")
    assert (status, state) == (200, "MISS") and "Story by reporter 1<" in body
    assert len(Client().get("/")["xkey"].split()) > 90
    assert fetch(varnish, "/")[1] == "HIT"

    before = copy_of(varnish, "/")[1]
    author = stories[1].bylines.get().author
    author.name = "Renamed Reporter"
    author.save()

    assert "Renamed Reporter" in refetched(varnish, "/", before)


def test_a_page_with_a_thousand_tags_is_kept_and_purged_by_any_of_them(varnish, settings, make_article):
    """Its tags take some 10 kB in each of three headers, past Varnish's default limits (8 kB a header, 32 kB
    in all: a 503 with them)."""
    settings.ROOT_URLCONF = "tests.edge_urls"
    story = make_article(headline="Shown among a thousand")
    path = f"/thousand/?first={story.pk}"
    assert len(Client().get(path)["xkey"]) > 8192
    assert fetch(varnish, path)[:2] == (200, "MISS")
    assert fetch(varnish, path)[1] == "HIT"
    before = copy_of(varnish, path)[1]

    story.headline = "Edited among a thousand"
    story.save()

    refetched(varnish, path, before)


def test_a_page_the_app_sent_plain_is_kept_gzipped(varnish, settings):
    settings.ROOT_URLCONF = "tests.edge_urls"
    assert "Content-Encoding" not in Client().get("/plain/", HTTP_ACCEPT_ENCODING="gzip")
    assert fetch(varnish, "/plain/")[:2] == (200, "MISS")
    status, headers, body = exchange(varnish, "/plain/", headers={"Accept-Encoding": "gzip"})
    assert (status, headers["x-cache"], headers["content-encoding"]) == (200, "HIT", "gzip")
    assert gzip.decompress(body).decode() == "<p>Sent plain by the app</p>" * 100


def test_approving_a_comment_purges_the_pages_that_show_it_only(varnish, two_stories):
    """The story's page, and the list pages whose cards show its comment count (the home page, its section):
    another story's pages stay."""
    story, other = two_stories
    comment = Comment.objects.create(
        article=story, author_name="Ada", email="ada@example.org", body="Long overdue.", status=Comment.Status.PENDING
    )
    story_page, other_page = story.get_absolute_url(), other.get_absolute_url()
    kept = [other_page, *pages_of(other).values()]
    cached(varnish, story_page, "/", *kept)
    copies = {path: copy_of(varnish, path)[1] for path in [story_page, "/", *kept]}

    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, None)

    assert "Long overdue." in refetched(varnish, story_page, copies[story_page])
    assert re.search(r"1 comment\b", refetched(varnish, "/", copies["/"]))
    for path in kept:
        assert copy_of(varnish, path)[:2] == ("HIT", copies[path]), path


def test_a_comment_taken_down_is_gone_from_the_very_next_request(varnish, two_stories):
    story, _ = two_stories
    Comment.objects.create(
        article=story, author_name="Ada", email="ada@example.org", body="Libellous claim.", status="approved"
    )
    assert "Libellous claim." in cached(varnish, story.get_absolute_url())[story.get_absolute_url()]

    Comment.objects.filter(article=story).moderate(Comment.Status.REJECTED, None)

    status, state, body = fetch(varnish, story.get_absolute_url())
    assert (status, state) == (200, "MISS") and "Libellous claim." not in body


def test_a_scheduled_story_appears_on_time(varnish, make_article):
    make_article(headline="Already out")
    go_live = timezone.now() + datetime.timedelta(seconds=3)
    make_article(headline="Embargoed story", status=Article.Status.SCHEDULED, publish_at=go_live)
    assert "Embargoed story" not in cached(varnish, "/", "/feeds/rss/")["/"]

    # Kept at most until the go-live time (s-maxage is rounded down), and never served stale past it.
    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.05)
    for path in ("/", "/feeds/rss/"):
        assert "Embargoed story" in fetch(varnish, path)[2], path


def test_logged_in_readers_and_the_desk_always_pass(varnish, make_article, editor):
    draft = make_article(headline="Draft in the works", status=Article.Status.DRAFT)
    desk = Client()
    desk.force_login(editor)
    session = f"{settings.SESSION_COOKIE_NAME}={desk.cookies[settings.SESSION_COOKIE_NAME].value}"
    for _ in range(2):
        status, state, body = fetch(varnish, draft.get_short_url(), cookie=session)
        assert (status, state) == (200, "MISS") and "Draft in the works" in body
        assert fetch(varnish, "/", cookie=session)[1] == "MISS"
        assert fetch(varnish, "/admin/", cookie=session)[:2] == (200, "MISS")
    assert fetch(varnish, draft.get_short_url())[0] == 404
    for _ in range(2):
        assert fetch(varnish, "/comments/token/")[1] == "MISS"


def test_only_app_servers_may_purge(varnish, make_article):
    story = make_article()
    url = story.get_absolute_url()
    cached(varnish, url)
    before = copy_of(varnish, url)[1]
    hard, soft = {"xkey-purge": f"story:{story.pk}"}, {"xkey-softpurge": f"story:{story.pk}"}
    # 127.0.0.2 is this machine too, but not in the VCL's list of app servers.
    for purge in (hard, soft):
        assert fetch(varnish, "/", method="PURGE", headers=purge, source="127.0.0.2")[0] == 403
    assert copy_of(varnish, url)[:2] == ("HIT", before)
    assert fetch(varnish, "/", method="PURGE", headers={})[0] == 400
    assert fetch(varnish, "/", method="PURGE", headers=soft)[0] == 200
    refetched(varnish, url, before)
    assert fetch(varnish, "/", method="PURGE", headers=hard)[0] == 200
    assert fetch(varnish, url)[1] == "MISS"


def test_grace_serves_a_stale_page_while_fetching_it_and_while_the_app_is_down(settings, switch, varnish, two_stories):
    settings.CDN_MAX_AGE, settings.PAGE_STALE_SECONDS = 1, 30
    story, other = (story.get_absolute_url() for story in two_stories)
    cached(varnish, story)
    settings.PAGE_STALE_SECONDS = 0
    cached(varnish, other)
    time.sleep(1.5)
    # Past its s-maxage, within its stale-while-revalidate: served at once, and fetched again behind it.
    assert fetch(varnish, story)[:2] == (200, "HIT")
    # Past both: the app is up, so the reader waits for a fresh copy.
    assert fetch(varnish, other)[:2] == (200, "MISS")
    time.sleep(1.5)

    switch.off()
    time.sleep(1.5)
    assert fetch(varnish, "/sitemap.xml")[0] == 503, "a page Varnish does not have: the app is down"
    for path, headline in ((story, "Harbour bridge reopens"), (other, "Rovers win the cup")):
        status, state, body = fetch(varnish, path)
        assert (status, state) == (200, "HIT") and headline in body


def test_a_probe_that_finds_the_app_slow_fails_no_fetch(varnish, tmp_path, make_article, editor):
    """The probe only decides how stale a page may be served: with it failing (a slow app, its workers busy),
    the desk's requests and the readers' misses still reach the app."""
    story = make_article(headline="Harbour bridge reopens")
    command = ["varnishadm", "-n", str(tmp_path / "varnish"), "backend.set_health", "app_probe", "sick"]
    subprocess.run(command, check=True, capture_output=True)
    desk = Client()
    desk.force_login(editor)
    session = f"{settings.SESSION_COOKIE_NAME}={desk.cookies[settings.SESSION_COOKIE_NAME].value}"
    assert fetch(varnish, "/admin/", cookie=session)[:2] == (200, "MISS")
    status, state, body = fetch(varnish, story.get_absolute_url())
    assert (status, state) == (200, "MISS") and "Harbour bridge reopens" in body


def varnish_counter(tmp_path, name):
    """A varnishstat counter of the test's varnishd (its -n is tmp_path/varnish)."""
    output = subprocess.run(
        ["varnishstat", "-n", str(tmp_path / "varnish"), "-1", "-f", f"MAIN.{name}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.split()[1])


def test_a_response_not_to_be_kept_sends_the_next_readers_to_the_app_each_on_its_own(varnish, settings, tmp_path):
    """A response sent for immediate revalidation is not kept, and marks the address hit-for-miss: the next
    readers are not queued behind one another's fetches (Varnish's waiting list, which a response with no
    mark lets go one reader at a time)."""
    settings.ROOT_URLCONF = "tests.edge_urls"
    assert fetch(varnish, "/not-kept/")[:3] == (200, "MISS", "<p>Copy number 1</p>")
    before = varnish_counter(tmp_path, "cache_hitmiss")
    assert fetch(varnish, "/not-kept/")[:3] == (200, "MISS", "<p>Copy number 2</p>")
    assert fetch(varnish, "/not-kept/")[:3] == (200, "MISS", "<p>Copy number 3</p>")
    # Worker threads add their counts to the shared counters now and then: wait for them.
    deadline = time.monotonic() + 5
    while varnish_counter(tmp_path, "cache_hitmiss") < before + 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert varnish_counter(tmp_path, "cache_hitmiss") == before + 2


def test_the_apps_stale_copy_is_served_here_for_a_second_then_while_it_is_fetched_again(varnish, settings):
    """While the app rebuilds a page it sends the previous copy; the readers of the next second get that copy
    from Varnish instead of each being sent to the app, and the first one after it gets it too while Varnish
    fetches the rebuilt page behind it."""
    settings.ROOT_URLCONF = "tests.edge_urls"
    status, state, body = fetch(varnish, "/rebuilt/")
    assert (status, state) == (200, "MISS") and "Copy number" in body
    assert fetch(varnish, "/rebuilt/")[1:] == ("HIT", body)
    time.sleep(1.2)
    state, stale, again = copy_of(varnish, "/rebuilt/")
    assert (state, again) == ("HIT", body)
    assert refetched(varnish, "/rebuilt/", stale) == "<p>Rebuilt</p>"


def test_a_background_fetch_answered_private_leaves_the_copy_before_it(varnish, settings, tmp_path):
    """Past its s-maxage a page is fetched again behind its reader. Answered private (as the app answers while
    its own cache does not), that fetch is dropped: the copy before it is still served, and the address is not
    marked hit-for-miss, which would send each of its readers to the app."""
    settings.ROOT_URLCONF = "tests.edge_urls"
    status, state, body = fetch(varnish, "/private-later/")
    assert (status, state, body) == (200, "MISS", "<p>Answer number 1</p>")
    time.sleep(1.5)
    before = varnish_counter(tmp_path, "cache_hitmiss")
    for _ in range(6):
        assert fetch(varnish, "/private-later/")[1:] == ("HIT", body)
        time.sleep(0.2)
    assert varnish_counter(tmp_path, "cache_hitmiss") == before
