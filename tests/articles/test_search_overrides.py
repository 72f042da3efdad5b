"""Per-story search and social overrides: what the story's head says, and which stories sitemaps list."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article

from .test_story_metadata import SITE, extract, opengraph, page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def story(make_article, make_photo):
    return make_article(
        headline="Russia ceases work on joint space projects",
        standfirst="Roscosmos says it has sought China's cooperation.",
        lead_photo=make_photo(alt_text="A Soyuz rocket on the pad"),
    )


def test_without_overrides_the_head_describes_the_story_itself(client, story):
    html = page(client, story)
    og = opengraph(html)
    assert og["og:title"] == [story.headline] and og["og:description"] == [story.standfirst]
    assert f'<link rel="canonical" href="{SITE}{story.get_absolute_url()}">' in html
    assert 'name="robots"' not in html
    assert og["og:image"][0].endswith(story.lead_photo.image.url)


def test_overrides_replace_headline_description_image_and_canonical(client, story, make_photo):
    social = make_photo(alt_text="The launch pad at dawn")
    Article.objects.filter(pk=story.pk).update(
        social_headline="Russia quits European space work",
        meta_description="What the split means for ExoMars & the ISS.",
        social_image=social,
        canonical_url="https://agency.example.com/original/123",
    )
    html = page(client, story)
    og = opengraph(html)
    assert og["og:title"] == ["Russia quits European space work"]
    assert og["og:description"] == ["What the split means for ExoMars & the ISS."]
    assert og["og:image"][0].endswith(social.image.url) and og["og:image:alt"] == ["The launch pad at dawn"]
    assert '<meta name="twitter:title" content="Russia quits European space work">' in html
    assert '<meta name="description" content="What the split means for ExoMars &amp; the ISS.">' in html
    assert '<link rel="canonical" href="https://agency.example.com/original/123">' in html
    (data,) = [item for item in extract(html)["json-ld"] if item["@type"] == "NewsArticle"]
    assert data["description"] == "What the split means for ExoMars & the ISS."
    assert data["headline"] == story.headline  # the page's own headline, as readers see it


def test_noindex_asks_robots_away_and_leaves_the_sitemaps(client, story, make_article):
    other = make_article(headline="Indexed story")
    Article.objects.filter(pk=story.pk).update(noindex=True)
    assert '<meta name="robots" content="noindex">' in page(client, story)
    for sitemap in ["/sitemap-stories.xml", "/news-sitemap.xml"]:
        xml = client.get(sitemap).content.decode()
        assert other.get_absolute_url() in xml and story.get_absolute_url() not in xml, sitemap


def test_overrides_are_optional_fields_of_the_story_form(client, editor, story):
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    for name in ["social_headline", "social_image", "meta_description", "canonical_url", "noindex"]:
        assert f'name="{name}"' in html, name
    assert "Search and social" in html


def test_a_canonical_url_must_be_a_web_address(story):
    story.canonical_url = "javascript:alert(1)"
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "canonical_url" in error.value.message_dict
