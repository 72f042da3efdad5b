"""Reader identity for abuse handling (hashed, never stored raw) and rate limits.

Counters live in Django's cache, so with Redis every app server sees the same
counts; nothing is kept in process memory.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from newsdesk.clientip import client_ip, networks


def limited_address(request, scope):
    """Count one attempt by the request's address, in its own network and in the wider one around it.

    Returns the seconds to wait when either is over its limit (the wider one
    allows COMMENTS_NETWORK_RATE_LIMIT), else None.
    """
    narrow, *wide = networks(client_ip(request))
    waits = [over_limit(f"{scope}-ip", narrow)]
    waits += [over_limit(f"{scope}-net", network, settings.COMMENTS_NETWORK_RATE_LIMIT) for network in wide]
    return max((wait for wait in waits if wait), default=None)


def keyed_hash(value):
    return hmac.new(settings.COMMENTS_IP_SALT.encode(), value.encode(), hashlib.sha256).hexdigest()


def ip_hash(request):
    return keyed_hash(client_ip(request))


def over_limit(scope, identity, limit=None):
    """Count one attempt; return the seconds to wait if this one is over the limit, else None.

    A fixed window per (scope, identity): cheap, atomic with Redis' INCR, and
    the identity is hashed so no address or email sits in the cache.
    """
    window = settings.COMMENTS_RATE_WINDOW
    now = int(time.time())
    key = f"comments:rate:{scope}:{keyed_hash(identity)}:{now // window}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > (limit or settings.COMMENTS_RATE_LIMIT):
        return window - now % window
    return None
