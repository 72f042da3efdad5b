"""Browser tests: Debian's Chromium, driven by Playwright, against the site on Django's live server.

One browser for the whole session, a fresh context (cookies, storage) per
test. Without Chromium the tests are skipped locally; in CI (``CI`` set) a
missing browser or axe-core is a failure, never a skip.
"""

import datetime
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from articles.models import AlsoRead, Author, Correction

from ..conftest import jpeg_bytes
from . import axe

CHROMIUM = Path("/usr/bin/chromium")
# No outside network here: keep Chromium from phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TIMEOUT_MS = 10_000


def unavailable(reason):
    """Skip on a developer's machine; fail in CI, where everything must run."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        unavailable(f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    serialized = {
        db.alias: db._test_serialized_contents for db in connections.all() if hasattr(db, "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in this thread: without this, Django would refuse
        # the tests' own (synchronous) ORM calls as "called from an async context".
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # While an event loop runs in this thread, as Playwright's does from now on, Django hands out
        # other connection objects: give them the data that serialized_rollback restores between tests.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Close those connections while the loop still runs, or nothing would close them (on PostgreSQL,
        # an open one keeps the test database from being dropped).
        connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts; fails the test on an uncaught JavaScript error or a missing asset."""
    contexts, errors = [], []

    def broken_asset(response):
        if response.status >= 400 and any(part in response.url for part in ("/static/", "/media/")):
            errors.append(f"{response.status} for {response.url}")

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on("response", broken_asset)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors or missing files: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request):
    """Run the test once with JavaScript and once without: the site must work both ways."""
    return request.param


@pytest.fixture
def reader_page(new_page, javascript):
    return new_page(java_script_enabled=javascript)


@pytest.fixture
def admin_page(new_page):
    """A page logged in to the admin through its login form, as ``user``."""

    def log_in(user, password="correct horse battery"):
        page = new_page()
        page.goto("/admin/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Publishing and moderation")).to_be_visible()
        return page

    return log_in


@pytest.fixture(scope="session")
def axe_path():
    try:
        return axe.axe_script()
    except axe.Unavailable as error:
        unavailable(str(error))


@pytest.fixture
def check_a11y(axe_path):
    """Run axe-core in the page; assert no WCAG 2.2 A/AA violations, listing them readably if any."""

    def check(page):
        # Evaluated by the browser's DevTools protocol: an added <script> would be refused by the site's CSP.
        page.evaluate(axe_path.read_text() + "\n;true")
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            axe.WCAG_AA_TAGS,
        )
        report = [
            f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
            + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"])
            for violation in result["violations"]
        ]
        assert not report, f"axe found violations on {page.url}:\n" + "\n".join(report)

    return check


@pytest.fixture
def screenshot_dir():
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def newsroom(make_section, make_author, make_article, make_photo, make_tag, settings):
    """A small paper: three sections, people and a desk, a lead story with everything, enough to paginate."""
    settings.PAGE_SIZE = 3
    world, scitech, business = (make_section(name, order=n) for n, name in enumerate(["World", "Sci-Tech", "Business"]))
    reporter = make_author("Amina Khan", bio="Amina covers space and science from Karachi.")
    desk = make_author("News Desk", kind=Author.Kind.DESK)
    space, europe = make_tag("Space"), make_tag("Europe")
    now = timezone.now()
    older = [
        make_article(
            f"Archive story {n}",
            section=scitech,
            authors=[reporter],
            tags=[space],
            publish_at=now - datetime.timedelta(days=n),
        )
        for n in range(1, 6)
    ]
    follow_up = make_article(
        "Europe looks for a new launcher",
        section=scitech,
        standfirst="ESA weighs its options after the split.",
        authors=[desk],
        tags=[europe],
        publish_at=now - datetime.timedelta(hours=2),
        lead_photo=make_photo(
            jpeg_bytes(size=(800, 450), color=(40, 90, 160)),
            alt_text="A launcher on its pad",
            caption="The pad at Kourou.",
            credit="ESA",
        ),
    )
    lead = make_article(
        "Russia ceases work on joint space projects with Europe",
        section=scitech,
        featured=True,
        publish_at=now - datetime.timedelta(hours=1),
        standfirst="Roscosmos says it has sought China's cooperation regarding its lunar programme.",
        authors=[reporter, desk],
        tags=[space, europe],
        lead_photo=make_photo(jpeg_bytes(size=(800, 450))),
        body=(
            "<p>Russia will stop working with European partners on joint space projects.</p>"
            "<p>The agency said the decision was final.</p>"
            "<h2>What happens next</h2>"
            "<blockquote><p>We will carry on alone.</p></blockquote>"
            "<ul><li>The rover stays on Earth.</li><li>Launches move elsewhere.</li></ul>"
            "<p>Read the <a href='https://example.org/statement'>full statement</a>.</p>"
        ),
    )
    AlsoRead.objects.create(article=lead, target=follow_up, after_paragraph=1)
    Correction.objects.create(article=lead, text="An earlier version misnamed the launch site.")
    make_article("Markets steady after a quiet week", section=business, authors=[desk])
    make_article("Ceasefire talks resume", section=world, authors=[reporter])
    return SimpleNamespace(
        lead=lead, follow_up=follow_up, older=older, scitech=scitech, world=world, reporter=reporter, desk=desk
    )
