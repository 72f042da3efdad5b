"""Security headers (issue 18, point 1): graded A+ on the HTTP Observatory's rules with the README's
production block, ``check --deploy`` silent with it, and a strict CSP on every page, the admin included."""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import checks
from django.urls import reverse

from articles.embeds import PROVIDERS
from tests.security.observatory import Response, grade, parse_csp

ROOT = Path(__file__).resolve().parents[2]
HOST = "news.example.com"
pytestmark = pytest.mark.django_db

PAGES = ["/", "/search/?q=budget", "/comments-faq/", "/comments/token/", "/admin/login/", "/no-such-page/"]


def production_block():
    """The variables the README's production block exports, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("\n## Production") :]
    block = section[section.index("```sh") : section.index("```", section.index("```sh") + 5)]
    variables = {}
    for line in block.splitlines():
        if line.startswith("export "):
            for assignment in shlex.split(line)[1:]:
                name, _, value = assignment.partition("=")
                variables[name] = value
    return variables


def database_url():
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def production_env(django_db_setup, tmp_path_factory):
    """The README's production block with its placeholders filled in, and nothing else from this shell."""
    block = production_block()
    assert {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "BEHIND_TLS_PROXY"} <= set(block)
    block.update(SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=database_url())
    block.pop("REDIS_URL")  # the file cache below stands for it
    work = tmp_path_factory.mktemp("production")
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(work)),
        **block,
        "STATIC_ROOT": str(work / "static"),
        "CACHE_DIR": str(work / "cache"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
    }


def run(env, *args):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def production_pages(production_env):
    collected = run(production_env, "manage.py", "collectstatic", "--noinput", "-v0")
    assert collected.returncode == 0, collected.stderr
    fetched = run(production_env, "-m", "tests.security.production_client", HOST, *PAGES)
    assert fetched.returncode == 0, fetched.stderr
    return {page["path"]: page for page in json.loads(fetched.stdout)}


def test_check_deploy_with_the_production_block_has_no_warnings(production_env):
    """W004 and W008 with the old block; W005 and W021 once HSTS was on."""
    result = run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("path", PAGES)
def test_every_page_grades_a_plus(production_pages, path):
    page = production_pages[path]
    assert page["status"] < 500
    graded = grade(Response(page["headers"], page["set_cookies"], page["html"], tuple(page["http_redirect"]), HOST))
    failing = {name: result for name, result in graded.results.items() if result[1] < 0}
    assert graded.letter == "A+" and graded.score >= 100 and not failing, (graded.score, graded.results)


def test_the_home_page_scores_120(production_pages):
    page = production_pages["/"]
    graded = grade(Response(page["headers"], page["set_cookies"], page["html"], tuple(page["http_redirect"]), HOST))
    assert graded.score == 120, graded.results
    assert graded.results["content-security-policy"] == ("csp-implemented-with-no-unsafe-default-src-none", 10)


def test_cookies_are_secure_httponly_and_samesite(production_pages):
    page = production_pages["/comments/token/"]
    graded = grade(Response(page["headers"], page["set_cookies"], "", tuple(page["http_redirect"]), HOST))
    assert page["set_cookies"], "the token view sets the CSRF cookie"
    assert graded.results["cookies"] == ("cookies-secure-with-httponly-sessions-and-samesite", 5)


def test_hsts_is_preloadable(production_pages):
    hsts = production_pages["/"]["headers"]["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=(\d+); includeSubDomains; preload", hsts)
    assert int(re.match(r"max-age=(\d+)", hsts)[1]) >= 31536000  # the preload list's minimum


def test_plain_http_redirects_to_https_on_the_same_host(production_pages):
    assert production_pages["/"]["http_redirect"] == [301, f"https://{HOST}/"]


def test_the_grader_reproduces_the_reported_grades():
    """Before: D (35) with the README's block alone, B (75) with every SECURE_* set, F with no headers."""
    django_defaults = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    assert (grade(Response(django_defaults)).score, grade(Response(django_defaults)).letter) == (35, "D")
    hardened = {**django_defaults, "Strict-Transport-Security": "max-age=31536000"}
    graded = grade(Response(hardened, http_redirect=(301, "https://example.com/"), host="example.com"))
    assert (graded.score, graded.letter) == (75, "B")
    assert grade(Response({})).letter == "F"


@pytest.mark.parametrize(
    "policy, result",
    [
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline"),
        ("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-abc'", "csp-implemented-with-no-unsafe"),
        ("script-src 'self'", "csp-implemented-with-unsafe-inline"),  # object-src is not restricted
        ("default-src 'self'; script-src https:", "csp-implemented-with-unsafe-inline"),
        ("default-src 'self'; script-src 'self' 'unsafe-eval'", "csp-implemented-with-unsafe-eval"),
        (
            "default-src 'self'; img-src http://cdn.example",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
        ),
        ("default-src 'none'; style-src 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only"),
        ("default-src 'none'", "csp-implemented-with-no-unsafe-default-src-none"),
        ("default-src 'self'; default-src 'none'", "csp-header-invalid"),
    ],
)
def test_the_grader_reads_csp_as_the_observatory_does(policy, result):
    assert grade(Response({"Content-Security-Policy": policy})).results["content-security-policy"][0] == result


def csp_of(response):
    return parse_csp(response["Content-Security-Policy"])


STRICT = {
    "default-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


@pytest.mark.parametrize("path", ["/", "/search/", "/comments-faq/", "/admin/login/", "/no-such-page/"])
def test_every_page_has_the_strict_policy(client, path):
    policy = csp_of(client.get(path))
    assert STRICT.items() <= policy.items()
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


def test_admin_pages_have_the_policy(admin_client, make_article):
    story = make_article()
    for path in (
        reverse("admin:index"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:comments_comment_changelist"),
        "/admin/comments/comment/desk/",
    ):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert STRICT.items() <= csp_of(response).items(), path


def test_the_story_editor_import_map_carries_the_nonce(admin_client, make_article):
    """The editor's one inline script runs by the nonce in the page's own policy, and only it."""
    response = admin_client.get(reverse("admin:articles_article_change", args=[make_article().pk]))
    html = response.content.decode()
    nonces = [source for source in csp_of(response)["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    inline = re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html)
    assert inline and all(f'nonce="{nonce}"' in tag for tag in inline), inline
    assert any('type="importmap"' in tag for tag in inline)


def test_public_pages_use_no_nonce_so_caches_can_share_them(client, make_article):
    story = make_article()
    first, second = client.get(story.get_absolute_url()), client.get(story.get_absolute_url())
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert "nonce-" not in first["Content-Security-Policy"]
    html = first.content.decode()
    assert not re.findall(r"<script\b(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>", html)
    assert not re.search(r"\sstyle=|<style", html)


def test_embed_players_are_the_frames_allowed(client):
    frames = set(csp_of(client.get("/"))["frame-src"])
    players = {re.match(r"https://[^/]+", provider.player)[0] for provider in PROVIDERS}
    assert frames == players


def test_a_missing_player_is_a_system_check_error(settings):
    settings.EMBED_PLAYER_ORIGINS = [origin for origin in settings.EMBED_PLAYER_ORIGINS if "vimeo" not in origin]
    errors = [message for message in checks.run_checks(tags=[checks.Tags.security]) if message.id == "articles.E002"]
    assert len(errors) == 1 and "Vimeo" in errors[0].msg


def test_permissions_and_cross_origin_policies(client, make_article):
    story = make_article()
    page = client.get(story.get_absolute_url())
    policy = dict(item.split("=", 1) for item in page["Permissions-Policy"].split(", "))
    assert policy["camera"] == policy["microphone"] == policy["geolocation"] == policy["payment"] == "()"
    assert 'self "https://www.youtube-nocookie.com"' in policy["fullscreen"]
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"
    assert page["Referrer-Policy"] == "strict-origin-when-cross-origin"
    beacon = client.get(reverse("articles:read_beacon", args=[story.pk]))
    assert "Cross-Origin-Resource-Policy" not in beacon, "images stay loadable by feed readers"
