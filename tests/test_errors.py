"""A database or cache out of reach answers a styled 503 with Retry-After; any other failure stays a 500."""

import pytest
import redis
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from newsdesk import urls as site_urls


def failing(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    path("db-down/", failing(OperationalError("could not connect to server: Connection refused"))),
    path("db-gone/", failing(InterfaceError("connection already closed"))),
    path("db-lost/", failing(DatabaseError("error with status PGRES_TUPLES_OK and no message from the libpq"))),
    path("db-integrity/", failing(IntegrityError("duplicate key value violates unique constraint"))),
    path("redis-down/", failing(redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379"))),
    path("redis-slow/", failing(redis.TimeoutError("Timeout reading from socket"))),
    path("bug/", failing(ZeroDivisionError("division by zero"))),
    *site_urls.urlpatterns,  # the error pages link to the site's own
]
handler500 = site_urls.handler500


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/db-down/", "/db-gone/", "/db-lost/", "/redis-down/", "/redis-slow/"])
def test_unreachable_services_are_a_503_that_says_to_come_back(client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"  # neither the page cache nor the edge keeps it
    html = response.content.decode()
    assert "<h1>We will be back in a moment</h1>" in html
    assert 'rel="stylesheet"' in html  # the site's own layout
    assert "Connection refused" not in html and "6379" not in html


@pytest.mark.parametrize("url", ["/bug/", "/db-integrity/"])
def test_a_bug_is_still_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response
