import copy
import datetime
import io
import itertools
import os
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Section, Tag
from photos.models import Photo

_seq = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, so that the manage.py processes a test starts can open it."""
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        default.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def cache_outside_the_checkout(tmp_path_factory):
    """The file cache of the test run, and of the processes tests start, lives in a temporary directory:
    clearing it between tests never empties a development server's cache."""
    if settings.REDIS_URL:
        yield
        return
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = os.environ["CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    caches["fragments"]["LOCATION"] = os.path.join(caches["default"]["LOCATION"], "fragments")
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(scope="session", autouse=True)
def jobs_run_at_once():
    """Background jobs run in the process that enqueues them (Django's immediate backend), once the
    change that enqueued them commits; tests/jobs/ and each app's test_tasks.py run them through the
    database queue and real worker processes instead (the ``worker`` fixture)."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture
def worker(transactional_db, settings, tmp_path_factory):
    """The database queue, and real ``manage.py run_worker`` processes to start (tests/workers.py),
    stopped before the test's rows are flushed."""
    from tests.workers import Workers

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    workers = Workers(tmp_path_factory.mktemp("workers"))
    yield workers
    workers.stop_all()


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache, whether the shared file cache or a shared Redis."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def committed_before_each_request(monkeypatch):
    """Nothing commits inside a test's one transaction, yet a request stands for a later moment than
    the steps before it: their on-commit work (making stored pages stale) runs first, as it would
    have once they committed. Tests of what happens before a commit use real transactions instead.
    """
    send, log_in = Client.request, Client._login

    def commit():
        for connection in connections.all(initialized_only=True):
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _, callback, _ in pending:
                callback()

    def request(self, **kwargs):
        commit()
        return send(self, **kwargs)

    def login(self, *args, **kwargs):  # force_login is a later moment too
        commit()
        return log_in(self, *args, **kwargs)

    monkeypatch.setattr(Client, "request", request)
    monkeypatch.setattr(Client, "_login", login)


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def make_section(db):
    def make(name=None, **kwargs):
        n = next(_seq)
        name = name or f"Section {n}"
        kwargs.setdefault("slug", name.lower().replace(" ", "-"))
        return Section.objects.create(name=name, **kwargs)

    return make


@pytest.fixture
def section(make_section):
    return make_section("World")


@pytest.fixture
def make_author(db):
    def make(name=None, kind=Author.Kind.PERSON, **kwargs):
        n = next(_seq)
        name = name or f"Reporter {n}"
        kwargs.setdefault("slug", f"{name.lower().replace(' ', '-')}-{n}")
        return Author.objects.create(name=name, kind=kind, **kwargs)

    return make


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    """Public and private media files of every test in a temporary directory, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def media(isolated_media, tmp_path):
    return tmp_path


@pytest.fixture
def make_photo(db, media):
    def make(data=None, name="photo.jpg", **kwargs):
        kwargs.setdefault("alt_text", "A rocket lifting off")
        kwargs.setdefault("caption", "A Soyuz rocket blasts off, April 9, 2021.")
        kwargs.setdefault("credit", "REUTERS")
        image = SimpleUploadedFile(name, data or jpeg_bytes(), content_type="image/jpeg")
        return Photo.objects.create(image=image, **kwargs)

    return make


@pytest.fixture
def make_article(db, make_section, make_author):
    default_section = {}

    def make(headline=None, authors=None, tags=(), **kwargs):
        n = next(_seq)
        headline = headline or f"Story number {n}"
        if "section" not in kwargs:
            if "section" not in default_section:
                default_section["section"] = make_section()
            kwargs["section"] = default_section["section"]
        kwargs.setdefault("slug", f"story-{n}")
        kwargs.setdefault("standfirst", f"Standfirst of story {n}.")
        kwargs.setdefault("body", f"<p>First paragraph of {n}.</p><p>Second paragraph.</p><p>Third paragraph.</p>")
        kwargs.setdefault("status", Article.Status.PUBLISHED)
        if kwargs["status"] == Article.Status.PUBLISHED:
            # Each story a second older than the one before: a stable order that keeps
            # every story recent enough for "last 48 hours" rules in a long session.
            kwargs.setdefault("publish_at", timezone.now() - datetime.timedelta(seconds=n))
        article = Article.objects.create(headline=headline, **kwargs)
        for order, author in enumerate(authors if authors is not None else [make_author()]):
            Byline.objects.create(article=article, author=author, order=order)
        article.tags.add(*tags)
        return article

    return make


@pytest.fixture
def make_archive(db):
    """Thousands of published stories in one section at once, for query plans over an archive: the nth is
    published at ``published(n)``, headed ``headline(n)``, and given ``value(n)`` for each other field."""

    def make(section, count, published, headline=lambda n: "Archive", **fields):
        Article.objects.bulk_create(
            Article(
                headline=f"{headline(n)} {n}",
                slug=f"archive-{n}",
                section=section,
                status=Article.Status.PUBLISHED,
                publish_at=published(n),
                **{name: value(n) for name, value in fields.items()},
            )
            for n in range(count)
        )

    return make


@pytest.fixture
def make_tag(db):
    def make(name=None):
        n = next(_seq)
        name = name or f"Tag {n}"
        return Tag.objects.create(name=name, slug=f"tag-{n}")

    return make


@pytest.fixture
def make_user(db):
    def make(group=None, username=None, is_staff=True, **kwargs):
        user = User.objects.create_user(
            username=username or f"user{next(_seq)}", password="correct horse battery", is_staff=is_staff, **kwargs
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user("Editor", username="editor")


@pytest.fixture
def reporter(make_user):
    return make_user("Reporter", username="reporter")


@pytest.fixture
def moderator(make_user):
    return make_user("Moderator", username="moderator")


@pytest.fixture
def urdu_paper(settings, make_section, make_author, make_article, make_photo, make_tag):
    """The site in Urdu with Urdu content: sections, a story with photo, tags and a comment thread, two pages."""
    from comments.models import Comment

    settings.LANGUAGE_CODE = "ur"
    settings.SITE_NAME, settings.SITE_TAGLINE = "روزنامہ خبر", "آزاد خبریں، ہر روز"
    settings.PAGE_SIZE = 3
    pakistan = make_section("پاکستان", slug="pakistan", order=0)
    sport = make_section("کھیل", slug="sport", order=1)
    reporter = make_author("امینہ خان", slug="amina-khan", bio="امینہ کراچی سے سائنس کی خبریں دیتی ہیں۔")
    desk = make_author("نیوز ڈیسک", slug="news-desk", kind=Author.Kind.DESK)
    weather = make_tag("موسم")
    older = [
        make_article(f"آرکائیو کی خبر {n}", section=pakistan, authors=[reporter], standfirst="پرانی خبر کا خلاصہ۔")
        for n in range(1, 6)
    ]
    lead = make_article(
        "کراچی میں شدید بارش کے بعد شہر کی سڑکیں زیرِ آب آ گئیں",
        section=pakistan,
        featured=True,
        publish_at=datetime.datetime(2022, 3, 1, 9, 30, tzinfo=datetime.UTC),
        standfirst="محکمۂ موسمیات نے آئندہ دو دن مزید بارش کی پیش گوئی کی ہے۔",
        authors=[reporter, desk],
        tags=[weather],
        lead_photo=make_photo(
            jpeg_bytes(size=(800, 450)),
            alt_text="بارش میں ڈوبی ہوئی سڑک",
            caption="شاہراہِ فیصل پر پانی۔",
            credit="رائٹرز",
        ),
        body="<p>شہر میں صبح سے بارش جاری ہے۔</p><p>حکام نے شہریوں کو گھروں میں رہنے کا مشورہ دیا۔</p>",
    )
    make_article("کرکٹ ٹیم کا اعلان کر دیا گیا", section=sport, authors=[desk], standfirst="نئے کھلاڑی شامل۔")
    first = Comment.objects.create(
        article=lead, author_name="علی", email="ali@example.org", body="بہت اچھی خبر۔", status="approved"
    )
    Comment.objects.create(
        article=lead, parent=first, author_name="سارہ", email="sara@example.org", body="متفق ہوں۔", status="approved"
    )
    return SimpleNamespace(lead=lead, older=older, pakistan=pakistan, reporter=reporter)
