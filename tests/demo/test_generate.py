import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Author, Byline, Section, Tag

pytestmark = pytest.mark.django_db


def test_generates_live_stories_with_bylines_and_tags(client):
    call_command("generate_stories", stories=120, batch=50, verbosity=0)
    assert Article.objects.published().count() == 120
    assert Section.objects.count() >= 5
    assert Author.objects.count() >= 20 and Tag.objects.count() >= 50
    assert Byline.objects.count() >= 120
    assert not Article.objects.filter(bylines=None).exists()
    assert len(set(Article.objects.values_list("headline", flat=True))) > 60
    story = Article.objects.latest_first().first()
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert story.headline in page.content.decode()


def test_runs_twice_and_leaves_ids_usable(make_article):
    call_command("generate_stories", stories=30, verbosity=0)
    call_command("generate_stories", stories=30, verbosity=0)
    assert Article.objects.count() == 60
    assert Tag.objects.count() == Tag.objects.values("name").distinct().count()
    later = make_article(headline="Written by hand afterwards")
    assert later.pk > max(Article.objects.exclude(pk=later.pk).values_list("pk", flat=True))


@pytest.mark.parametrize("option", [{"stories": 0}, {"batch": -1}])
def test_rejects_non_positive_numbers(option):
    with pytest.raises(CommandError, match="must be positive"):
        call_command("generate_stories", verbosity=0, **option)
