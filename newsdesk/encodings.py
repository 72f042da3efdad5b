"""Which content codings a request accepts, read as RFC 9110 (section 12.5.3) says, q-values included.

``gzip;q=0`` refuses gzip; ``*`` stands for every coding not named;
``x-gzip`` is gzip. Whatever cannot be parsed is left out, as the RFC says.
"""

import re

# The codings any part of the site may answer with (the page cache and WhiteNoise: gzip and brotli).
KNOWN = ("gzip", "br", "zstd", "deflate")
_Q = re.compile(r"^\s*q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$", re.IGNORECASE)


def preferences(header):
    """{coding: q} of an Accept-Encoding header, the codings lowercased."""
    found = {}
    for element in header.split(","):
        name, *params = element.split(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params:
            if param.split("=")[0].strip().lower() == "q":
                match = _Q.match(param)
                if match is None:
                    break
                quality = float(match.group(1))
        else:
            found["gzip" if name == "x-gzip" else name] = quality
    return found


def accepts(header, coding):
    """Whether a request with this Accept-Encoding header accepts ``coding``."""
    wanted = preferences(header or "")
    return wanted.get(coding, wanted.get("*", 0)) > 0


class AcceptEncodingMiddleware:
    """Rewrites Accept-Encoding to the plain list of the known codings the request accepts.

    WhiteNoise (and anything else that looks for a coding's name in the
    header) would read ``gzip;q=0`` as yes: after this, what it finds is what
    the browser accepts. First in the chain, so that every later part sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_ENCODING")
        if header is not None:
            request.META["HTTP_ACCEPT_ENCODING"] = ", ".join(coding for coding in KNOWN if accepts(header, coding))
        return self.get_response(request)
