"""A withdrawn story: 410 Gone with the editor's note, out of feeds and sitemaps, still there for staff."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(make_article):
    story = make_article("Claims about the mayor", slug="claims-about-the-mayor")
    live_url = story.get_absolute_url()
    story.withdrawal_note = "This story relied on a source who has since retracted."
    story.withdraw()
    story.live_url = live_url
    return story


@pytest.mark.parametrize("address", ["live_url", "short_url"])
def test_withdrawn_story_is_gone_with_the_editors_note(client, withdrawn, address):
    url = withdrawn.live_url if address == "live_url" else withdrawn.get_short_url()
    response = client.get(url)
    assert response.status_code == 410
    html = response.content.decode()
    assert "<h1>This story has been removed</h1>" in html
    assert "relied on a source who has since retracted." in html
    assert "First paragraph" not in html and '<meta name="robots" content="noindex">' in html


def test_withdrawn_story_without_a_note(client, make_article):
    story = make_article()
    story.withdraw()
    response = client.get(story.get_short_url())
    assert response.status_code == 410 and "The newsroom has taken this story down." in response.content.decode()


def test_staff_still_preview_a_withdrawn_story(client, editor, withdrawn):
    client.force_login(editor)
    response = client.get(withdrawn.get_short_url())
    assert response.status_code == 200 and "this story is withdrawn" in response.content.decode()


def test_feeds_and_sitemaps_drop_a_withdrawn_story(client, make_article, withdrawn):
    kept = make_article("Still standing", slug="still-standing")
    for url in (reverse("articles:feed_rss"), reverse("articles:feed_atom"), reverse("articles:news_sitemap")):
        text = client.get(url).content.decode()
        assert kept.slug in text and withdrawn.slug not in text, url
    index = client.get(reverse("sitemap_index")).content.decode()
    pages = [line.split("<loc>")[1].split("</loc>")[0] for line in index.splitlines() if "<loc>" in line]
    text = "".join(client.get(page.replace("http://testserver", "")).content.decode() for page in pages)
    assert kept.slug in text and withdrawn.slug not in text


def test_withdraw_action_keeps_the_note(client, editor, make_article):
    story = make_article()
    client.force_login(editor)
    client.post(reverse("admin:articles_article_changelist"), {"action": "withdraw", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_withdrawn
    assert client.get(story.get_short_url()).status_code == 200  # staff preview; readers get 410
