"""Any language: the site in Urdu (right to left, its dates, no English left over), complete catalogs, and a
PostgreSQL search configuration that follows the language."""

import gettext
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles import search_language
from articles.models import Article

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted(path for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts)
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search configurations")


class ReaderText(HTMLParser):
    """What a reader sees or hears: text outside scripts and styles, and the attributes read out or shown."""

    SPOKEN = {"aria-label", "alt", "placeholder", "title"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            shown_value = name == "value" and tag == "input" and dict(attrs).get("type") in ("submit", "button")
            if (name in self.SPOKEN or shown_value) and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


# Names of formats, not words to translate: the feed links' titles say "(RSS)" and "(Atom)".
FORMAT_NAMES = {"RSS", "Atom"}


def latin_words(html, allowed=()):
    parser = ReaderText()
    parser.feed(html)
    return set(re.findall(r"[A-Za-z]{2,}", " ".join(parser.parts))) - FORMAT_NAMES - set(allowed)


def test_english_pages_stay_english_and_left_to_right(client, make_article):
    make_article()
    html = client.get("/").content.decode()
    assert '<html lang="en-us" dir="ltr">' in html
    assert "Skip to content" in html and "Comments FAQ" in html


def test_urdu_home_is_right_to_left_with_no_english_left(client, urdu_paper):
    html = client.get("/").content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    for text in ["مواد پر جائیں", "صفحۂ اول", "اہم خبریں", "تازہ ترین", "تبصروں سے متعلق سوالات", "پرانی", "صفحہ 1"]:
        assert text in html, text
    assert latin_words(html) == set()


def test_urdu_second_page_and_archive(client, urdu_paper):
    older = re.search(r'rel="next" href="([^"]+)"', client.get("/").content.decode()).group(1)
    html = client.get(older.replace("&amp;", "&")).content.decode()
    assert "نئی" in html and latin_words(html) == set()
    html = client.get(reverse("articles:archive_year", args=[2022])).content.decode()
    assert "آرکائیو" in html and "مارچ" not in html or "2022" in html
    assert latin_words(html) == set()


def test_urdu_story_dates_comments_and_form(client, urdu_paper):
    html = client.get(urdu_paper.lead.get_absolute_url()).content.decode()
    # Day before month, month named in Urdu; the machine-readable attribute stays ISO 8601.
    assert '<time datetime="2022-03-01T09:30:00+00:00">1 مارچ 2022</time>' in html
    for text in [
        "تبصرے",
        "تبصرہ کریں",
        "تبصرہ بھیجیں",
        "جواب دیں",
        "شکایت",
        ">نام<",
        ">ای میل<",
        "تصویر: رائٹرز",
        " اور ",
    ]:
        assert text in html, text
    assert 'data-reply-heading="{name} کو جواب دیں"' in html
    assert latin_words(html) == set()


def test_urdu_comment_errors_and_faq(client, urdu_paper):
    url = reverse("comments:post", args=[urdu_paper.lead.pk])
    response = client.post(url, {"author_name": "", "email": "", "body": ""}, HTTP_SEC_FETCH_SITE="same-origin")
    html = response.content.decode()
    assert response.status_code == 400
    assert "براہِ کرم اپنا نام لکھیں۔" in html and "براہِ کرم اپنا تبصرہ لکھیں۔" in html
    assert latin_words(html) == set()
    html = client.get(reverse("comments:faq")).content.decode()
    assert "میرا تبصرہ شائع ہونے سے پہلے کون پڑھتا ہے؟" in html
    assert latin_words(html, allowed={"HTML"}) == set()


def test_urdu_search_and_not_found(client, urdu_paper):
    html = client.get(reverse("articles:search"), {"q": "بارش"}).content.decode()
    assert "کراچی میں شدید <mark>بارش</mark>" in html and "نتائج" in html
    assert latin_words(html) == set()
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert latin_words(response.content.decode()) == set()


def test_urdu_newsroom_admin(client, urdu_paper, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "سرخی" in html and "ذیلی سرخی" in html and "اشاعت" in html
    assert 'dir="rtl"' in html
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "منتخب خبریں ابھی شائع کریں" in html


def test_urdu_archive_index_and_search_filters(client, urdu_paper):
    html = client.get(reverse("articles:archive_index")).content.decode()
    assert "<h1>آرکائیو</h1>" in html and "مارچ" in html
    assert '<span class="archive-index__count">1 خبر</span>' in html  # 2022: the lead story alone
    assert latin_words(html) == set()
    html = client.get(reverse("articles:search"), {"q": "بارش", "order": "date"}).content.decode()
    assert "<summary>فلٹر اور ترتیب</summary>" in html and latin_words(html) == set()


def test_urdu_live_story_banner_and_corrections(client, urdu_paper):
    import datetime

    from django.utils import timezone

    from articles.curation import BreakingNews
    from articles.models import Correction, LiveUpdate

    story = urdu_paper.lead
    story.live_coverage = True
    story.save()
    LiveUpdate.objects.create(article=story, body="<p>پانی اترنے لگا۔</p>", pinned=True)
    BreakingNews.objects.create(text="کراچی میں زلزلہ", expires_at=timezone.now() + datetime.timedelta(hours=1))
    Correction.objects.create(article=story, text="درجۂ حرارت 30 تھا، 35 نہیں۔")
    html = client.get(story.get_absolute_url()).content.decode()
    for text in ["براہِ راست اپ ڈیٹس", "اوپر چسپاں", 'aria-label="تازہ ترین خبر"', "کراچی میں زلزلہ"]:
        assert text in html, text
    # live.js's texts, with the count it fills in.
    assert 'data-text-many-new="{count} نئی اپ ڈیٹس۔"' in html
    assert latin_words(html) == set()
    story.end_live_coverage()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "براہِ راست کوریج" in html and latin_words(html) == set()
    html = client.get(reverse("articles:corrections")).content.decode()
    assert "<h1>تصحیحات</h1>" in html and "درجۂ حرارت" in html and latin_words(html) == set()


def test_urdu_unavailable_page(rf, urdu_paper):
    from newsdesk.errors import service_unavailable

    response = service_unavailable(rf.get("/"))
    html = response.content.decode()
    # Rendered from the template alone (no context processors): the language still sets lang and dir.
    assert '<html lang="ur" dir="rtl">' in html
    assert response.status_code == 503 and "<h1>ہم ابھی واپس آتے ہیں</h1>" in html
    assert latin_words(html, allowed={"Newsdesk"}) == set()  # the name it falls back on without the settings


def test_urdu_two_factor_setup_and_admin_titles(client, urdu_paper, reporter, editor):
    client.force_login(reporter)
    html = client.get(reverse("staff:two_factor")).content.decode()
    assert 'aria-label="آپ کی دو مرحلہ جاتی کلید کا کیو آر کوڈ"' in html
    assert "دو مرحلہ جاتی سائن ان فعال کریں" in html and "روزنامہ خبر نیوز روم" in html
    main = re.sub(r'two-factor__secret">[A-Z2-7 ]+<', "", html.split('id="content-main"')[1])
    # Only the apps' names stay as they are written.
    assert latin_words(main, allowed={"FreeOTP", "Aegis", "Google", "Authenticator", "Password"}) == set()
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "اشاعت اور نگرانی" in html and "پس منظر کے کام" in html and "آڈٹ لاگ" in html


def test_site_language_is_part_of_the_page_cache_key(client, make_article, settings):
    make_article()
    assert 'lang="en-us"' in client.get("/").content.decode()
    settings.LANGUAGE_CODE = "ur"
    assert 'lang="ur"' in client.get("/").content.decode()


# The catalogs: complete, compiled, and in step with the code.


def entries(path):
    """(context, msgid, plural, [msgstr...], flags) of a .po file, header left out."""
    found, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and current.get("msgid"):
                found.append(current)
            current = None
            continue
        current = current or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+"(.*)"$', line)
        if match:
            key, index, text = match.group(1), match.group(2), match.group(3)
            if key == "msgstr":
                key = ("msgstr", int(index or 0))
                current["msgstr"][key[1]] = ""
            else:
                current[key] = ""
        else:
            text = line.strip()[1:-1]
        text = bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        if isinstance(key, tuple):
            current["msgstr"][key[1]] += text
        else:
            current[key] += text
    return found


def placeholders(text):
    return sorted(re.findall(r"%\(\w+\)[sdg]|%[sdg]", text))


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_is_translated_with_its_placeholders(catalog):
    found = entries(catalog)
    assert found
    for entry in found:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        for index, text in entry["msgstr"].items():
            assert text, f"untranslated: {entry['msgid']!r}"
            source = entry["msgid_plural"] if index and "msgid_plural" in entry else entry["msgid"]
            if "python-format" in entry["flags"]:
                # A singular may leave its number out ("1 day" as a word), never a named value.
                wanted = placeholders(source)
                assert set(placeholders(text)) <= set(wanted) and all(p in text for p in wanted if "(" in p), (
                    f"{entry['msgid']!r}: {text!r}"
                )


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_compiled_catalog_is_up_to_date(catalog):
    with open(catalog.with_suffix(".mo"), "rb") as compiled:
        catalog_mo = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in entries(catalog):
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            expected.update({(msgid, n): text for n, text in entry["msgstr"].items()})
        else:
            expected[msgid] = entry["msgstr"][0]
    compiled_entries = {key: value for key, value in catalog_mo.items() if key != ""}
    assert compiled_entries == expected, "run: manage.py compilemessages --ignore .venv"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext (apt-get install gettext)")
def test_makemessages_finds_no_new_or_stale_strings(tmp_path, monkeypatch, settings):
    """Extracting the strings again from a copy of the code changes no catalog: nothing new, nothing stale."""
    apps = [path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in ("demo",)]
    for name in [*apps, "newsdesk", "templates", "locale"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ur"], no_obsolete=True, verbosity=0)
    for catalog in CATALOGS:
        again = tmp_path / catalog.relative_to(ROOT)
        ids = {(entry.get("msgctxt"), entry["msgid"]) for entry in entries(again)}
        assert ids == {(entry.get("msgctxt"), entry["msgid"]) for entry in entries(catalog)}, catalog
        untranslated = [entry["msgid"] for entry in entries(again) if not all(entry["msgstr"].values())]
        assert not untranslated, f"{catalog}: {untranslated}"


# Search follows the language.


@pytest.mark.parametrize(
    "code, config",
    [("en-us", "english"), ("es", "spanish"), ("pt-br", "portuguese"), ("ur", "simple"), ("ar", "arabic")],
)
def test_language_picks_a_postgres_configuration(code, config, settings):
    settings.LANGUAGE_CODE, settings.SEARCH_CONFIG = code, ""
    assert search_language.search_config() == config
    settings.SEARCH_CONFIG = "simple"
    assert search_language.search_config() == "simple"


@on_postgres
def test_a_spanish_site_stems_spanish_after_the_rebuild(make_article, settings, capsys):
    cantando = make_article(headline="Los niños están cantando en la plaza")
    settings.LANGUAGE_CODE = "es"
    # The index was built in English: migrate's checks say so until it is rebuilt.
    (warning,) = [m for m in checks.run_checks(databases=["default"]) if m.id == "articles.W002"]
    assert "english" in warning.msg and "spanish" in warning.msg
    assert not Article.objects.search("cantar").filter(pk=cantando.pk).exists()
    call_command("rebuild_search_index", batch=1)
    assert "“spanish” (was “english”)" in capsys.readouterr().out
    assert search_language.installed_config(connection) == "spanish"
    assert Article.objects.search("cantar").filter(pk=cantando.pk).exists()
    # New and changed stories follow the new configuration too.
    nuevo = make_article(headline="Las elecciones generales")
    assert Article.objects.search("elección").filter(pk=nuevo.pk).exists()
    assert not [m for m in checks.run_checks(databases=["default"]) if m.id == "articles.W002"]


@on_postgres
def test_an_urdu_paper_searches_whole_words_with_simple(client, urdu_paper):
    call_command("rebuild_search_index", verbosity=0)
    assert search_language.installed_config(connection) == "simple"
    response = client.get(reverse("articles:search"), {"q": "بارش"})
    assert [story.pk for story in response.context["page_obj"].object_list] == [urdu_paper.lead.pk]
    assert "<mark>بارش</mark>" in response.content.decode()


@on_postgres
def test_an_unknown_configuration_is_refused_clearly(settings, db):
    settings.SEARCH_CONFIG = "klingon"
    (error,) = [m for m in checks.run_checks(databases=["default"]) if m.id == "articles.E003"]
    assert "klingon" in error.msg
    with pytest.raises(Exception, match="no text search configuration “klingon”"):
        call_command("rebuild_search_index")
    assert search_language.installed_config(connection) == "english"


def test_rebuild_is_harmless_without_postgres(db, capsys):
    if connection.vendor == "postgresql":
        pytest.skip("this is the SQLite path")
    call_command("rebuild_search_index")
    assert "only PostgreSQL" in capsys.readouterr().out


def test_settings_document_the_language():
    readme = (ROOT / "README.md").read_text()
    assert "`LANGUAGE_CODE`" in readme and "`SEARCH_CONFIG`" in readme
    assert settings.FORMAT_MODULE_PATH == ["newsdesk.formats"]
