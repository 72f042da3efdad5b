"""/corrections/: every correction of a live story, newest first, linked to its story; cached and invalidated."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction

pytestmark = pytest.mark.django_db


def correct(story, text, days_ago=0, **kwargs):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return Correction.objects.create(article=story, text=text, created_at=moment, **kwargs)


def listed(html):
    return re.findall(r'class="corrections-list__text">\s*<time[^>]*>[^<]*</time>:\s*([^<]+?)\s*</p>', html)


def test_corrections_newest_first_with_links_to_their_stories(client, make_article):
    first, second = make_article(headline="Budget vote"), make_article(headline="Cup final")
    correct(first, "The vote was 52-48, not 58-42.", days_ago=3)
    correct(second, "The match was in Leeds.", days_ago=1)
    correct(second, "This story was updated with the score.", kind=Correction.Kind.UPDATE)
    response = client.get("/corrections/")
    html = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert listed(html) == ["The match was in Leeds.", "The vote was 52-48, not 58-42."]
    assert f'<a href="{second.get_absolute_url()}">Cup final</a>' in html
    assert "updated with the score" not in html


def test_corrections_of_stories_readers_cannot_see_are_not_listed(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    withdrawn = make_article()
    correct(draft, "Draft correction.")
    correct(withdrawn, "Withdrawn correction.")
    withdrawn.withdraw()
    html = client.get("/corrections/").content.decode()
    assert listed(html) == [] and "No corrections so far." in html


def test_the_corrections_page_paginates(client, settings, make_article):
    settings.PAGE_SIZE = 3
    story = make_article()
    for n in range(7):
        correct(story, f"Correction {n}.", days_ago=n)
    assert listed(client.get("/corrections/").content.decode()) == ["Correction 0.", "Correction 1.", "Correction 2."]
    last = client.get("/corrections/?page=3").content.decode()
    assert listed(last) == ["Correction 6."] and "Page 3 of 3" in last and 'rel="prev" href="?page=2"' in last
    for bad in ["abc", "0", "-1", "99999", "%00"]:
        assert client.get(f"/corrections/?page={bad}").status_code == 200


def test_a_new_correction_shows_at_once_on_the_stored_page(client, make_article):
    story = make_article()
    assert "No corrections so far." in client.get("/corrections/").content.decode()
    correction = correct(story, "The minister is called Smith.")
    assert listed(client.get("/corrections/").content.decode()) == ["The minister is called Smith."]
    correction.text = "The minister is called Smyth."
    correction.save()
    assert listed(client.get("/corrections/").content.decode()) == ["The minister is called Smyth."]


def test_the_footer_and_the_comments_faq_link_to_the_corrections_page(client, make_article):
    for url in ["/", reverse("comments:faq")]:
        assert '<a href="/corrections/">Corrections</a>' in client.get(url).content.decode()
    assert '<a href="/corrections/">corrections page</a>' in client.get(reverse("comments:faq")).content.decode()


def test_the_corrections_page_query_count_does_not_grow(client, django_assert_max_num_queries, make_article):
    def count(n):
        for _ in range(n):
            correct(make_article(), "A correction.")
        cache.clear()
        with django_assert_max_num_queries(8) as captured:
            client.get("/corrections/")
        return len(captured.captured_queries)

    assert count(1) == count(10)
