"""Fetch pages in a process configured only by the environment (the README's production block).

``python -m tests.security.production_client HOST PATH...`` prints, as JSON, each
page's headers, Set-Cookie lines and body as sent over HTTPS behind the TLS
proxy, and the answer to the same address over plain HTTP.
"""

import json
import os
import sys


def fetch(host, paths):
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    pages = []
    for path in paths:
        secure = client.get(path, HTTP_X_FORWARDED_PROTO="https")
        plain = client.get(path, HTTP_X_FORWARDED_PROTO="http")
        pages.append(
            {
                "path": path,
                "status": secure.status_code,
                "headers": dict(secure.headers),
                "set_cookies": [morsel.OutputString() for morsel in secure.cookies.values()],
                "html": secure.content.decode(errors="replace"),
                "http_redirect": [plain.status_code, plain.get("Location", "")],
            }
        )
    return pages


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    print(json.dumps(fetch(sys.argv[1], sys.argv[2:])))
