"""A response graded by Mozilla's HTTP Observatory scoring rules (its published methodology).

Every site starts at 100; each test adds its modifier; bonuses (positive
modifiers) count only when the score without them is 90 or more. The tests
scored here are those a single response shows: CSP, cookies, HSTS, the
http→https redirect, Referrer-Policy, Subresource Integrity,
X-Content-Type-Options, X-Frame-Options (or CSP frame-ancestors), CORS and
Cross-Origin-Resource-Policy. Being on the browsers' HSTS preload list (+5)
cannot be seen from a response and is not counted.
"""

import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

GRADES = [
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
]
SIX_MONTHS = 15768000
FETCH_DIRECTIVES = {
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "frame-src",
    "object-src",
    "media-src",
    "worker-src",
    "manifest-src",
    "child-src",
}
ACTIVE = ("script-src", "style-src", "object-src", "frame-src", "connect-src", "font-src", "worker-src")
PASSIVE = ("img-src", "media-src")
BROAD = {"*", "http:", "https:"}
PRIVATE_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
UNSAFE_REFERRERS = {"origin", "origin-when-cross-origin", "unsafe-url"}
REFERRERS = PRIVATE_REFERRERS | UNSAFE_REFERRERS | {"no-referrer-when-downgrade"}


@dataclass
class Response:
    """What the grader reads: the HTTPS response's headers (names in any case), its Set-Cookie lines and body,
    and the redirect answered to the same address over plain HTTP (status, Location)."""

    headers: dict
    set_cookies: list = field(default_factory=list)
    html: str = ""
    http_redirect: tuple | None = None
    host: str = ""

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Grade:
    score: int
    letter: str
    results: dict  # test name: (result, modifier)


def parse_csp(text):
    """{directive: [sources]}, or None when the header cannot be read."""
    policy = {}
    for part in text.split(";"):
        tokens = part.strip().split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if not re.fullmatch(r"[a-z-]+", name) or name in policy:
            return None
        policy[name] = [token.lower() for token in tokens[1:]]
    return policy or None


def csp(response):
    text = response.header("Content-Security-Policy")
    if text is None:
        return "csp-not-implemented", -25
    policy = parse_csp(text)
    if policy is None:
        return "csp-header-invalid", -25

    def effective(directive):
        if directive in policy:
            return policy[directive]
        return policy.get("default-src") if directive in FETCH_DIRECTIVES else None

    script, objects, style = effective("script-src"), effective("object-src"), effective("style-src")
    neutralised = script is not None and any(
        source.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) or source == "'strict-dynamic'"
        for source in script
    )
    unsafe_inline = (
        script is None
        or objects is None
        or ("'unsafe-inline'" in script and not neutralised)
        or "data:" in script
        or bool(BROAD & set(script))
        or bool(BROAD & set(objects))
        or "data:" in objects
    )

    def insecure(directives):
        return any(source.startswith(("http:", "ftp:")) for name in directives for source in (effective(name) or []))

    if unsafe_inline:
        return "csp-implemented-with-unsafe-inline", -20
    if insecure(ACTIVE):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-eval'" in script:
        return "csp-implemented-with-unsafe-eval", -10
    if insecure(PASSIVE):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only", -10
    if style is not None and "'unsafe-inline'" in style:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if policy.get("default-src") == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def hsts_max_age(response):
    text = response.header("Strict-Transport-Security")
    if text is None:
        return None
    match = re.search(r"(?:^|;)\s*max-age=\"?(\d+)\"?\s*(?:;|$)", text, re.IGNORECASE)
    return int(match[1]) if match else -1


def hsts(response):
    max_age = hsts_max_age(response)
    if max_age is None:
        return "hsts-not-implemented", -20
    if max_age < 0:
        return "hsts-header-invalid", -20
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


def cookies(response):
    if not response.set_cookies:
        return "cookies-not-found", 0
    protected = (hsts_max_age(response) or 0) >= SIX_MONTHS
    parsed = []
    for line in response.set_cookies:
        jar = SimpleCookie()
        jar.load(line)
        for name, morsel in jar.items():
            parsed.append((name.lower(), bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]))
    if any(samesite and samesite.lower() not in {"strict", "lax", "none"} for *_, samesite in parsed):
        return "cookies-samesite-flag-invalid", -20
    sessions = [cookie for cookie in parsed if "sess" in cookie[0] or "login" in cookie[0]]
    if any(not secure for _, secure, _, _ in sessions):
        if protected:
            return "cookies-session-without-secure-flag-but-protected-by-hsts", -10
        return "cookies-session-without-secure-flag", -40
    if any(not httponly for _, _, httponly, _ in sessions):
        return "cookies-session-without-httponly-flag", -30
    if any("csrf" in name and not samesite for name, _, _, samesite in parsed):
        return "cookies-anticsrf-without-samesite-flag", -20
    if any(not secure for _, secure, _, _ in parsed):
        if protected:
            return "cookies-without-secure-flag-but-protected-by-hsts", -5
        return "cookies-without-secure-flag", -20
    if all(samesite for *_, samesite in parsed):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def redirection(response):
    if response.http_redirect is None:
        return "redirection-missing", -20
    status, location = response.http_redirect
    if status not in (301, 302, 303, 307, 308) or not location:
        return "redirection-missing", -20
    target = urlsplit(location)
    if target.scheme != "https":
        return "redirection-not-to-https", -20
    if response.host and target.hostname != response.host:
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def referrer_policy(response):
    text = response.header("Referrer-Policy")
    if text is None:
        return "referrer-policy-not-implemented", 0
    values = [value.strip().lower() for value in text.split(",") if value.strip()]
    if not values or any(value not in REFERRERS for value in values):
        return "referrer-policy-header-invalid", -5
    # Browsers apply the last policy they understand.
    if values[-1] in PRIVATE_REFERRERS:
        return "referrer-policy-private", 5
    if values[-1] in UNSAFE_REFERRERS:
        return "referrer-policy-unsafe", -5
    return "referrer-policy-no-referrer-when-downgrade", 0


def subresource_integrity(response):
    content_type = response.header("Content-Type") or ""
    if not content_type.startswith("text/html"):
        return "sri-not-implemented-response-not-html", 0
    scripts = re.findall(r"<script\b[^>]*>", response.html, re.IGNORECASE)
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = []
    for tag in scripts:
        src = re.search(r"\bsrc=[\"']?([^\"' >]+)", tag)
        if src and urlsplit(src[1]).netloc and urlsplit(src[1]).hostname != response.host:
            external.append((urlsplit(src[1]).scheme, "integrity=" in tag))
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    if any(scheme == "http" for scheme, _ in external):
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    if all(has_integrity for _, has_integrity in external):
        return "sri-implemented-and-external-scripts-loaded-securely", 5
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def content_type_options(response):
    text = response.header("X-Content-Type-Options")
    if text is None:
        return "x-content-type-options-not-implemented", -5
    if text.strip().lower() != "nosniff":
        return "x-content-type-options-header-invalid", -5
    return "x-content-type-options-nosniff", 0


def frame_options(response):
    policy = parse_csp(response.header("Content-Security-Policy") or "") or {}
    if "frame-ancestors" in policy:
        return "x-frame-options-implemented-via-csp", 5
    text = (response.header("X-Frame-Options") or "").strip().lower()
    if not text:
        return "x-frame-options-not-implemented", -20
    if text in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny", 0
    if text.startswith("allow-from "):
        return "x-frame-options-allow-from-origin", 0
    return "x-frame-options-header-invalid", -20


def cors(response):
    origin = response.header("Access-Control-Allow-Origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented", 0
    if origin.strip() == "*" and (response.header("Access-Control-Allow-Credentials") or "").lower() == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    if origin.strip() == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access", 0
    return "cross-origin-resource-sharing-implemented-with-restricted-access", 0


def resource_policy(response):
    text = response.header("Cross-Origin-Resource-Policy")
    if text is None:
        return "cross-origin-resource-policy-not-implemented", 0
    value = text.strip().lower()
    if value not in {"same-origin", "same-site", "cross-origin"}:
        return "cross-origin-resource-policy-header-invalid", -5
    return f"cross-origin-resource-policy-implemented-with-{value}", 0


TESTS = {
    "content-security-policy": csp,
    "cookies": cookies,
    "cross-origin-resource-sharing": cors,
    "cross-origin-resource-policy": resource_policy,
    "redirection": redirection,
    "referrer-policy": referrer_policy,
    "strict-transport-security": hsts,
    "subresource-integrity": subresource_integrity,
    "x-content-type-options": content_type_options,
    "x-frame-options": frame_options,
}


def grade(response):
    results = {name: test(response) for name, test in TESTS.items()}
    penalties = sum(modifier for _, modifier in results.values() if modifier < 0)
    bonuses = sum(modifier for _, modifier in results.values() if modifier > 0)
    score = max(0, 100 + penalties)
    if score >= 90:
        score += bonuses
    letter = next(letter for floor, letter in GRADES if score >= floor)
    return Grade(score, letter, results)
