"""Section slugs never take one of the site's own addresses, which are read from the URLconf."""

import pytest
from django.core import checks
from django.core.exceptions import ValidationError

from articles.models import Section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["search", "feeds", "admin", "comments-faq", "robots.txt", "media", "static"])
def test_a_section_slug_equal_to_a_site_path_is_refused(slug):
    with pytest.raises(ValidationError, match="used by the site itself"):
        Section(name="Clash", slug=slug).full_clean()


def test_ordinary_section_slugs_are_accepted():
    Section(name="Podcasts", slug="podcasts").full_clean()


@pytest.mark.urls("tests.articles.podcast_urls")
def test_an_address_added_to_the_urlconf_is_reserved_at_once():
    with pytest.raises(ValidationError, match="used by the site itself"):
        Section(name="Podcasts", slug="podcasts").full_clean()


def test_the_system_check_reports_a_section_saved_before_its_slug_became_a_site_path():
    Section.objects.create(name="World", slug="world")
    Section.objects.create(name="Search desk", slug="search")  # create() runs no validators
    found = [m for m in checks.run_checks(databases=["default"]) if m.id == "articles.W001"]
    message = "Section “search” cannot be reached: /search/ is one of the site's own addresses."
    assert [m.msg for m in found] == [message]
    assert checks.run_checks(databases=None, tags=[checks.Tags.database]) == []
