"""Reader identity for abuse handling (hashed, never stored raw) and rate limits.

Counters live in Django's cache, so with Redis every app server sees the same
counts; nothing is kept in process memory.
"""

import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    if settings.COMMENTS_CLIENT_IP_HEADER:
        forwarded = request.META.get(settings.COMMENTS_CLIENT_IP_HEADER, "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def rate_identity(ip):
    """Whom a rate limit counts: the address, or for IPv6 its /64, which one household or server gets whole."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def keyed_hash(value):
    return hmac.new(settings.COMMENTS_IP_SALT.encode(), value.encode(), hashlib.sha256).hexdigest()


def ip_hash(request):
    return keyed_hash(client_ip(request))


def over_limit(scope, identity):
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
    if count > settings.COMMENTS_RATE_LIMIT:
        return window - now % window
    return None
