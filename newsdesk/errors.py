"""The site's last word when a request fails: a database or cache out of reach is a 503, other failures a 500.

A 503 with Retry-After tells readers, crawlers and the edge cache that this
is passing: the database restarting, or Redis down while a rate limit needs
it. The page is rendered from the template alone, needing neither.
"""

import sys

import redis
from django.db import DatabaseError, InterfaceError, OperationalError
from django.views import defaults

UNAVAILABLE = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)
RETRY_AFTER_SECONDS = 30


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    error = sys.exc_info()[1]
    # psycopg2 reports some connections lost mid-query as a bare DatabaseError; its subclasses (an
    # integrity, programming or data error) are faults of the request or the code, 500s.
    if isinstance(error, UNAVAILABLE) or type(error) is DatabaseError:
        return service_unavailable(request)
    return defaults.server_error(request, template_name)


def service_unavailable(request):
    response = defaults.server_error(request, "503.html")
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
