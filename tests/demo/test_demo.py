import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import AlsoRead, Article, Author, Correction, Section, Tag
from articles.sanitize import paragraph_ends
from demo import content as demo_content
from photos.models import Photo


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Section, Tag, Author, Photo, Article, AlsoRead, Correction, User)
    }


@pytest.mark.django_db
def test_load_demo_fills_the_site(media):
    output = load_demo()

    live = Article.objects.published()
    assert live.count() >= 40
    assert live.values("section").distinct().count() == 6
    assert Author.objects.filter(kind=Author.Kind.PERSON).count() >= 6
    assert Author.objects.exclude(kind=Author.Kind.PERSON).count() >= 4
    assert Author.objects.filter(kind=Author.Kind.PERSON, photo__isnull=False).count() >= 3
    assert 15 <= Tag.objects.count() <= 25
    assert live.filter(featured=True).count() >= 3
    assert live.filter(comments_open=False).exists()
    assert Article.objects.upcoming().count() == 1
    assert Article.objects.filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW]).count() == 1
    assert Correction.objects.filter(kind=Correction.Kind.CORRECTION).exists()
    assert Correction.objects.filter(kind=Correction.Kind.UPDATE).exists()
    assert live.filter(updated_at__isnull=False).count() == Correction.objects.values("article").distinct().count()

    with_photo = live.filter(lead_photo__isnull=False)
    assert with_photo.count() >= 30
    for photo in Photo.objects.all():
        assert photo.alt_text and photo.credit
        assert (photo.width, photo.height) in {(1600, 900), (600, 600)}
        assert (media / photo.image.name).is_file()

    multi_author = [article for article in live.prefetch_related("bylines") if len(article.bylines.all()) > 1]
    assert len(multi_author) >= 5

    links = AlsoRead.objects.select_related("target")
    assert links.values("article").distinct().count() >= 10
    assert all(link.target.is_live and link.target_id != link.article_id for link in links)

    assert f"Stories: {len(demo_content.STORIES)}/{len(demo_content.STORIES)}" in output
    assert f"{len(demo_content.STORIES)} stories created" in output


@pytest.mark.django_db
def test_running_twice_creates_nothing_twice(media):
    load_demo()
    before = counts()
    files = sorted(path.name for path in media.rglob("*.jpg"))

    output = load_demo()

    assert counts() == before
    assert sorted(path.name for path in media.rglob("*.jpg")) == files
    assert "0 stories created" in output
    assert f"{len(demo_content.STORIES)} stories already there were left as they are" in output


@pytest.mark.django_db
def test_existing_content_is_never_changed(media, make_article, make_section):
    newsroom_world = make_section("World", slug="world-news")
    slug = demo_content.STORIES[0]["slug"]
    own = make_article(headline="An editor's own story", slug=slug, section=newsroom_world, body="<p>Mine.</p>")

    load_demo()

    own.refresh_from_db()
    assert (own.headline, own.body, own.section_id) == ("An editor's own story", "<p>Mine.</p>", newsroom_world.pk)
    assert not own.also_read_links.exists()
    assert Section.objects.filter(name="World").count() == 1
    assert Article.objects.filter(section=newsroom_world).count() == len(
        [story for story in demo_content.STORIES if story["section"] == "world"]
    )


@pytest.mark.django_db
def test_home_and_story_pages_render_the_demo(client, media):
    load_demo()

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour City win cup final with stoppage-time header" in html
    assert "Six river nations agree to share drought data in landmark accord" in html

    story = Article.objects.get(slug="river-nations-agree-to-share-drought-data")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Also read:" in html
    assert "Southern Europe swelters as heatwave breaks 40-year records" in html
    assert "Photo: REUTERS" in html
    assert "Maya Okafor" in html and "Reuters" in html


@pytest.mark.django_db
def test_demo_admin_is_created_once_with_a_warning(media, settings):
    settings.DEBUG = True
    output = load_demo("--with-admin")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin")
    assert "local demos only" in output

    admin.set_password("changed by the demo host")
    admin.save()
    output = load_demo("--with-admin")
    admin.refresh_from_db()
    assert admin.check_password("changed by the demo host")
    assert "already exists" in output


@pytest.mark.django_db
def test_demo_admin_is_refused_when_debug_is_off(media, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        load_demo("--with-admin")
    assert not User.objects.exists()
    assert not Article.objects.exists()


@pytest.mark.parametrize("story", demo_content.STORIES, ids=lambda story: story["slug"])
def test_demo_story_text_is_complete(story):
    paragraphs = len(paragraph_ends(story["body"]))
    assert 4 <= paragraphs <= 7
    assert story["headline"] and story["standfirst"] and story["authors"]
    for _target, after in story.get("also_read", ()):
        assert 1 <= after < paragraphs


def test_demo_data_refers_only_to_defined_entries():
    sections = {section["slug"] for section in demo_content.SECTIONS}
    authors = {author["slug"] for author in demo_content.AUTHORS}
    stories = [story["slug"] for story in demo_content.STORIES]
    assert len(set(stories)) == len(stories)
    for story in demo_content.STORIES:
        assert story["section"] in sections
        assert set(story["authors"]) <= authors
        assert set(story["tags"]) <= set(demo_content.TAGS)
        assert {target for target, _after in story.get("also_read", ())} <= set(stories)
    assert set(demo_content.THREADS) <= set(stories)
