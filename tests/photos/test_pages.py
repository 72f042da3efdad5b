"""Photos on reader pages: <picture> with renditions, no layout shift, lazy below the fold, constant queries."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from photos.models import Rendition
from tests.photos.images import encode, halves


def tag(html, name, **attrs):
    """The first <name ...> tag whose attributes contain all of ``attrs`` (values as regexes)."""
    for found in re.findall(rf"<{name}\b[^>]*>", html):
        if all(re.search(rf'\b{key}="{value}"', found) for key, value in attrs.items()):
            return found
    raise AssertionError(f"no <{name}> with {attrs} in the page")


def attr(found, name):
    match = re.search(rf'\b{name}="([^"]*)"', found)
    return match and match.group(1)


@pytest.fixture
def big_photo(make_photo):
    def make(**kwargs):
        return make_photo(data=encode(halves((2000, 1200))), **kwargs)

    return make


@pytest.mark.django_db
class TestStoryPage:
    def test_lead_photo_picture(self, client, make_article, big_photo):
        photo = big_photo(alt_text="A rocket lifting off", caption="A Soyuz blasts off.", credit="REUTERS")
        html = client.get(make_article(lead_photo=photo).get_absolute_url()).content.decode()
        figure = re.search(r'<figure class="photo story__lead-photo">(.*?)</figure>', html, re.S).group(1)

        source = tag(figure, "source", type="image/webp")
        webp = attr(source, "srcset")
        assert re.fullmatch(
            r"(/media/photos/renditions/\d+/full-(\d+)-\w+\.webp \2w, ){4}/media/\S+/full-1920-\w+\.webp 1920w", webp
        )
        img = tag(figure, "img")
        assert attr(img, "srcset").count(".jpg ") == 5
        assert attr(img, "sizes") == attr(source, "sizes") == "(min-width: 42rem) 40rem, 100vw"
        assert re.fullmatch(r"/media/photos/renditions/\d+/full-640-\w+\.jpg", attr(img, "src"))
        assert (attr(img, "width"), attr(img, "height")) == ("1920", "1152")
        assert attr(img, "alt") == "A rocket lifting off"
        assert attr(img, "fetchpriority") == "high" and "loading=" not in img
        assert '<span class="photo__caption">A Soyuz blasts off.</span>' in figure
        assert '<span class="photo__credit">Photo: REUTERS</span>' in figure
        assert "<figcaption>" in figure

    def test_falls_back_to_the_served_image(self, client, make_article, big_photo):
        photo = big_photo()
        Rendition.objects.filter(photo=photo).delete()
        html = client.get(make_article(lead_photo=photo).get_absolute_url()).content.decode()
        img = tag(html, "img", alt="A rocket lifting off")
        assert attr(img, "src") == photo.image.url
        assert (attr(img, "width"), attr(img, "height")) == ("2000", "1200")
        assert "srcset" not in img and "<source" not in html

    def test_alt_attribute_always_present(self, client, make_article, big_photo):
        photo = big_photo(alt_text="Smoke over the harbour", caption="", credit="")
        html = client.get(make_article(lead_photo=photo).get_absolute_url()).content.decode()
        assert attr(tag(html, "img", fetchpriority="high"), "alt") == "Smoke over the harbour"
        assert "<figcaption>" not in html

    def test_related_cards_are_lazy_16_9(self, client, make_article, big_photo, section):
        story = make_article(section=section, lead_photo=big_photo())
        make_article(section=section, lead_photo=big_photo())
        html = client.get(story.get_absolute_url()).content.decode()
        related = html[html.index('class="related"') :]
        img = tag(related, "img")
        assert attr(img, "loading") == "lazy" and "fetchpriority" not in img
        assert (attr(img, "width"), attr(img, "height")) == ("1920", "1080")
        assert "/card-" in attr(img, "srcset")


@pytest.mark.django_db
class TestListPages:
    def test_cards_use_16_9_renditions(self, client, make_article, big_photo):
        make_article(lead_photo=big_photo(alt_text="Flooded street"))
        html = client.get(reverse("articles:home")).content.decode()
        img = tag(html, "img", alt="Flooded street")
        assert re.search(r"/card-320-\w+\.jpg 320w", attr(img, "srcset"))
        assert "/card-" in attr(tag(html, "source", type="image/webp"), "srcset")

    def test_top_story_photo_first_the_rest_lazy(self, client, make_article, big_photo):
        make_article(lead_photo=big_photo(alt_text="Top photo"), featured=True)
        make_article(lead_photo=big_photo(alt_text="Other photo"))
        html = client.get(reverse("articles:home")).content.decode()
        top = tag(html, "img", alt="Top photo")
        assert attr(top, "fetchpriority") == "high" and "loading=" not in top
        assert attr(tag(html, "img", alt="Other photo"), "loading") == "lazy"

    def test_a_lists_first_two_photos_are_loaded_at_once_the_rest_lazily(
        self, client, make_article, big_photo, section
    ):
        """A phone's first screen shows two cards (Lighthouse: a lazy LCP image is loaded late)."""
        now = timezone.now()
        for hours in range(3):
            photo = big_photo(alt_text=f"Photo {hours} hours old")
            make_article(section=section, lead_photo=photo, publish_at=now - timedelta(hours=hours))
        html = client.get(section.get_absolute_url()).content.decode()
        assert "loading=" not in tag(html, "img", alt="Photo 0 hours old")
        assert "loading=" not in tag(html, "img", alt="Photo 1 hours old")
        assert attr(tag(html, "img", alt="Photo 2 hours old"), "loading") == "lazy"

    def test_author_portrait_is_square(self, client, make_author, big_photo):
        author = make_author(photo=big_photo(alt_text="Jane Doe, science editor"))
        html = client.get(author.get_absolute_url()).content.decode()
        img = tag(html, "img", alt="Jane Doe, science editor")
        assert (attr(img, "width"), attr(img, "height")) == ("96", "96")
        assert attr(img, "class") == "author-header__photo"
        assert re.search(r"/square-320-\w+\.jpg 320w", attr(img, "srcset"))
        assert attr(img, "sizes") == "96px"

    @pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
    def test_queries_do_not_grow_with_photos(
        self, client, page, make_article, make_photo, make_author, make_tag, section
    ):
        author, topic = make_author(), make_tag()
        address = {
            "home": reverse("articles:home"),
            "section": section.get_absolute_url(),
            "tag": topic.get_absolute_url(),
            "author": author.get_absolute_url(),
        }[page]

        def add_stories(count):
            for _ in range(count):
                make_article(section=section, lead_photo=make_photo(), authors=[author], tags=[topic])

        def count():
            cache.clear()  # each count from the same cold cache: the banner is read once per page generation
            with CaptureQueriesContext(connection) as queries:
                html = client.get(address).content.decode()
            return len(queries), html.count("<picture>")

        add_stories(2)
        few, few_pictures = count()
        add_stories(15)
        many, many_pictures = count()
        assert many_pictures > few_pictures >= 2
        assert many == few


@pytest.mark.django_db
def test_list_page_with_many_photos_stays_within_budget(
    client, make_article, make_photo, django_assert_max_num_queries
):
    """Home: top stories, section blocks, the latest list (each with bylines and renditions), most read
    and comment counts; plus the page cache asking when the next scheduled story goes live, and the
    breaking-news banner (once per page generation)."""
    for number in range(30):
        make_article(lead_photo=make_photo(), featured=number % 6 == 0)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("articles:home")).content.decode()
    assert html.count("<picture>") >= 25


@pytest.mark.django_db
def test_story_page_queries_do_not_grow_with_photos(client, make_article, make_photo, section):
    story = make_article(section=section, lead_photo=make_photo())

    def count():
        cache.clear()  # each count from the same cold cache: the banner is read once per page generation
        with CaptureQueriesContext(connection) as queries:
            html = client.get(story.get_absolute_url()).content.decode()
        return len(queries), html.count("<picture>")

    make_article(section=section, lead_photo=make_photo())
    few, few_pictures = count()
    for _ in range(5):
        make_article(section=section, lead_photo=make_photo())
    many, many_pictures = count()
    assert many_pictures > few_pictures
    assert many == few
