"""No stampede: many readers arriving at once at a page that is missing, expired or stale cause one render."""

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from pagecache.invalidation import new_generation, new_versions
from tests.pagecache import slow_urls

# serialized_rollback like every other transactional test: a plain flush would let post_migrate recreate
# content types under new ids, which the next serialized test could not load back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
READERS = 64


class Server(ThreadedWSGIServer):
    """Django's threaded development server, with a listen queue that takes every reader at once."""

    request_queue_size = 2 * READERS


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def server(settings):
    settings.ROOT_URLCONF = "tests.pagecache.slow_urls"
    slow_urls.renders.clear()
    httpd = Server(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def read_at_once(url):
    """READERS concurrent requests, released together; returns (status, body) of each."""
    start = threading.Barrier(READERS)

    def read(_):
        start.wait()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(read, range(READERS)))


def test_readers_arriving_at_a_page_not_yet_stored_cause_one_render(server):
    answers = read_at_once(f"{server}/slow/")
    assert len(slow_urls.renders) == 1
    assert set(answers) == {(200, "<p>Render number 1</p>")}


def test_readers_arriving_as_a_change_makes_a_page_stale_get_the_previous_copy_while_one_rebuilds(server):
    url = f"{server}/slow/"
    read_at_once(url)
    new_versions(["untagged"])  # a routine change to what the page shows
    started = time.monotonic()
    answers = read_at_once(url)
    assert len(slow_urls.renders) == 2
    assert (200, "<p>Render number 2</p>") in answers
    assert set(answers) <= {(200, "<p>Render number 1</p>"), (200, "<p>Render number 2</p>")}
    # Nobody queued behind renders: 64 of them one after the other would take 19 s (a loaded machine gets room).
    assert time.monotonic() - started < READERS * slow_urls.RENDER_SECONDS / 4
    with urllib.request.urlopen(url) as response:
        assert response.read().decode() == "<p>Render number 2</p>"


def test_readers_arriving_after_an_urgent_change_wait_for_the_one_render(server):
    url = f"{server}/slow/"
    read_at_once(url)
    new_generation()  # site-wide: no stale copy may be served
    answers = read_at_once(url)
    assert len(slow_urls.renders) == 2
    assert set(answers) == {(200, "<p>Render number 2</p>")}


def test_readers_arriving_as_a_page_expires_cause_one_render(server, settings):
    settings.PAGE_CACHE_SECONDS = 2
    url = f"{server}/slow/"
    read_at_once(url)
    time.sleep(2.1)
    answers = read_at_once(url)
    assert len(slow_urls.renders) == 2
    assert {status for status, _ in answers} == {200}


def test_a_rebuild_that_stores_nothing_does_not_hold_the_others_up(server):
    """A 404 is not stored: readers who waited for it render their own once it is done, not after the lock's time."""
    started = time.monotonic()
    answers = read_at_once(f"{server}/slow-missing/")
    assert {status for status, _ in answers} == {404}
    assert time.monotonic() - started < 5
