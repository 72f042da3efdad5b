"""The reader's address, as the site's own proxies saw it, and the networks abuse limits count.

``X-Forwarded-For`` is written by whoever sends the request, so it is read
only when the connecting peer (``REMOTE_ADDR``) is one of the site's proxies
(``TRUSTED_PROXIES``), and then only the entry that the outermost of the
``TRUSTED_PROXY_HOPS`` proxies added: entries further left are the client's
own words. A client that reaches the app directly is its ``REMOTE_ADDR``,
whatever header it sends.
"""

import ipaddress

from django.conf import settings

# Rate limits count an IPv6 address by the /64 a household or server gets whole, and a
# second, wider limit counts the /48 a site gets (IPv4: the address, then its /24).
NARROW_PREFIX = {4: 32, 6: 64}
WIDE_PREFIX = {4: 24, 6: 48}


def parse_address(text):
    """An ``ip_address`` for text that is one (IPv4-mapped IPv6 read as IPv4), else None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def trusted_networks():
    return [ipaddress.ip_network(cidr, strict=False) for cidr in settings.TRUSTED_PROXIES]


def is_trusted_proxy(address):
    return address is not None and any(address in network for network in trusted_networks())


def client_ip(request):
    """The address the outermost trusted proxy received the request from (text; "" if none is known)."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not settings.CLIENT_IP_HEADER or not is_trusted_proxy(parse_address(peer)):
        return peer
    entries = [entry.strip() for entry in request.META.get(settings.CLIENT_IP_HEADER, "").split(",")]
    entries = [entry for entry in entries if entry]
    if not entries:
        return peer
    # Each proxy appends the address it was reached from: the last HOPS entries are theirs.
    chosen = parse_address(entries[-min(settings.TRUSTED_PROXY_HOPS, len(entries))])
    return str(chosen) if chosen is not None else peer


def networks(ip):
    """The narrow and the wide network an address counts in for abuse limits, as text."""
    address = parse_address(ip)
    if address is None:
        return [ip]
    return [
        str(ipaddress.ip_network(f"{address}/{prefix[address.version]}", strict=False))
        for prefix in (NARROW_PREFIX, WIDE_PREFIX)
    ]
