"""Live coverage: updates on the story page, the polling endpoint, structured data, the admin and permissions."""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import extruct
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, LiveUpdate

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CHANGELIST = reverse("admin:articles_article_changelist")
ADD_UPDATE = reverse("admin:articles_liveupdate_add")


@pytest.fixture
def live_story(make_article, section):
    return make_article(
        headline="Election night as it happened",
        section=section,
        live_coverage=True,
        featured=True,
        publish_at=timezone.now() - datetime.timedelta(hours=2),
    )


def post(story, text, minutes_ago=0, **kwargs):
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return LiveUpdate.objects.create(article=story, body=f"<p>{text}</p>", posted_at=moment, **kwargs)


def polled(client, story, since=None):
    url = reverse("articles:live_updates", args=[story.pk]) + ("" if since is None else f"?since={since}")
    return client.get(url)


def test_story_shows_its_updates_newest_first_with_anchors_and_the_live_label(client, live_story, make_author):
    first = post(live_story, "Polls have closed.", minutes_ago=30)
    second = post(live_story, "First results are in.", minutes_ago=10, author=make_author("Amina Khan"))
    html = client.get(live_story.get_absolute_url()).content.decode()
    assert '<span class="live-label">Live</span>' in html
    assert html.index(f'id="update-{second.pk}"') < html.index(f'id="update-{first.pk}"')
    assert f'href="{live_story.get_absolute_url()}#update-{second.pk}"' in html
    assert "Amina Khan" in html and "First results are in." in html
    assert f'data-latest="{second.pk}"' in html and 'data-poll-seconds="30"' in html
    assert 'js/live.js"' in html


def test_the_live_label_shows_on_cards_until_an_editor_ends_the_coverage(client, live_story):
    assert '<span class="live-label">Live</span>' in client.get("/").content.decode()
    live_story.end_live_coverage()
    assert "live-label" not in client.get("/").content.decode()
    story = client.get(live_story.get_absolute_url()).content.decode()
    assert "live-label" not in story and "Live coverage ended" in story
    assert "data-live-poll" not in story and "js/live.js" not in story


def test_a_pinned_update_stays_on_top(client, live_story):
    pinned = post(live_story, "What we know so far.", minutes_ago=60, pinned=True)
    post(live_story, "A later update.")
    html = client.get(live_story.get_absolute_url()).content.decode().split("<main")[1]
    assert html.index("Pinned") < html.index("What we know so far.") < html.index("A later update.")
    assert html.count(f'id="update-{pinned.pk}"') == 1


def test_polling_returns_only_the_updates_after_the_last_one_seen(client, live_story):
    first = post(live_story, "One.")
    second, third = post(live_story, "Two."), post(live_story, "Three.")
    data = polled(client, live_story, since=first.pk).json()
    assert data["live"] is True and data["latest"] == third.pk
    assert [update["id"] for update in data["updates"]] == [third.pk, second.pk]
    assert f'id="update-{third.pk}"' in data["updates"][0]["html"] and "Three." in data["updates"][0]["html"]
    assert polled(client, live_story, since=third.pk).json() == {"live": True, "latest": third.pk, "updates": []}


def test_the_polled_answer_is_stored_and_a_new_update_makes_it_stale(client, live_story):
    first = post(live_story, "One.")
    response = polled(client, live_story, since=first.pk)
    assert "public" in response["Cache-Control"] and response.json()["updates"] == []
    assert polled(client, live_story, since=first.pk).json()["updates"] == []
    second = post(live_story, "Two.")
    assert [update["id"] for update in polled(client, live_story, since=first.pk).json()["updates"]] == [second.pk]


def test_ending_the_coverage_tells_polling_readers(client, live_story):
    first = post(live_story, "One.")
    live_story.end_live_coverage()
    assert polled(client, live_story, since=first.pk).json()["live"] is False


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "9" * 40, "%00"])
def test_a_bad_since_is_a_clear_400(client, live_story, since):
    response = client.get(reverse("articles:live_updates", args=[live_story.pk]) + f"?since={since}")
    assert response.status_code == 400 and "since" in response.json()["error"]


def test_only_live_stories_that_readers_can_see_have_updates(client, make_article, live_story):
    assert polled(client, make_article()).status_code == 404
    draft = make_article(live_coverage=True, status=Article.Status.DRAFT)
    assert polled(client, draft).status_code == 404
    live_story.withdraw()
    assert polled(client, live_story).status_code == 404


def test_an_update_has_a_permanent_address(client, live_story):
    update = post(live_story, "One.")
    response = client.get(update.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == f"{live_story.get_absolute_url()}#update-{update.pk}"
    assert client.get(reverse("articles:live_update", args=[live_story.pk + 1, update.pk])).status_code == 404


def test_update_text_is_sanitized_like_bodies(client, live_story):
    update = LiveUpdate.objects.create(
        article=live_story, body='<p onclick="x()">Safe <script>alert(1)</script><a href="javascript:x()">link</a></p>'
    )
    assert "script" not in update.body and "onclick" not in update.body and "javascript" not in update.body
    assert "Safe" in update.body


def news_article(html):
    """The story's own structured data (the page also carries its breadcrumbs)."""
    (data,) = [item for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"] if "headline" in item]
    return data


def test_structured_data_is_a_live_blog_posting(client, live_story, settings):
    settings.SITE_URL = "https://news.example.org"
    older = post(live_story, "Polls have closed.", minutes_ago=30, headline="Polls close")
    newer = post(live_story, "First results are in.", minutes_ago=5)
    html = client.get(live_story.get_absolute_url()).content.decode()
    data = news_article(html)
    url = settings.SITE_URL + live_story.get_absolute_url()
    assert data["@type"] == "LiveBlogPosting" and "coverageEndTime" not in data
    urls = [entry["url"] for entry in data["liveBlogUpdate"]]
    assert urls == [f"{url}#update-{newer.pk}", f"{url}#update-{older.pk}"]
    assert data["liveBlogUpdate"][1]["headline"] == "Polls close"
    assert data["liveBlogUpdate"][0]["articleBody"] == "First results are in."
    assert data["dateModified"] == newer.posted_at.isoformat(timespec="seconds")
    live_story.end_live_coverage()
    data = news_article(client.get(live_story.get_absolute_url()).content.decode())
    assert "coverageEndTime" in data


def test_a_story_that_is_not_live_stays_a_news_article(client, make_article):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])["@type"] == (
        "NewsArticle"
    )
    assert "Live updates" not in html


def test_live_story_queries_do_not_grow_with_updates(client, django_assert_max_num_queries, live_story, make_photo):
    def render():
        cache.clear()
        with django_assert_max_num_queries(30) as captured:
            assert client.get(live_story.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    post(live_story, "One.", photo=make_photo())
    few = render()
    for n in range(15):
        post(live_story, f"Update {n}.", photo=make_photo() if n % 3 else None)
    assert render() == few


# The admin.


def update_form(story, **overrides):
    now = timezone.localtime()
    data = {
        "article": story.pk,
        "posted_at_0": now.strftime("%Y-%m-%d"),
        "posted_at_1": now.strftime("%H:%M:%S"),
        "headline": "",
        "body": "<p>Turnout was 70 per cent.</p>",
        "author": "",
        "photo": "",
    }
    return data | overrides


@pytest.mark.parametrize("who", ["editor", "reporter"])
def test_the_newsroom_posts_updates_and_add_another_stays_on_the_story(client, request, who, live_story):
    client.force_login(request.getfixturevalue(who))
    form = client.get(f"{ADD_UPDATE}?article={live_story.pk}").content.decode()
    assert f'<option value="{live_story.pk}" selected>' in form
    response = client.post(ADD_UPDATE, update_form(live_story, _addanother="1"))
    assert response.status_code == 302 and response["Location"] == f"{ADD_UPDATE}?article={live_story.pk}"
    client.logout()
    assert "Turnout was 70 per cent." in client.get(live_story.get_absolute_url()).content.decode()


def test_broken_markup_in_an_update_is_refused_and_kept_in_the_form(client, editor, live_story):
    client.force_login(editor)
    response = client.post(ADD_UPDATE, update_form(live_story, body='<p>Turnout <a href="x>was high</a></p>'))
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_no_updates_once_the_coverage_has_ended(client, editor, live_story, make_article):
    client.force_login(editor)
    live_story.end_live_coverage()
    response = client.post(ADD_UPDATE, update_form(live_story))
    assert "Live coverage of this story has ended." in response.content.decode()
    response = client.post(ADD_UPDATE, update_form(make_article()))
    assert response.status_code == 200 and not LiveUpdate.objects.exists()


def test_an_editor_ends_the_live_coverage(client, editor, live_story):
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "end_live_coverage", "_selected_action": [live_story.pk]}, follow=True
    )
    assert "Ended the live coverage of 1 story." in response.content.decode()
    live_story.refresh_from_db()
    assert live_story.live_ended_at is not None and not live_story.live_running


def test_a_reporter_cannot_end_live_coverage(client, reporter, live_story):
    client.force_login(reporter)
    changelist = client.get(CHANGELIST).content.decode()
    assert "end_live_coverage" not in changelist
    client.post(CHANGELIST, {"action": "end_live_coverage", "_selected_action": [live_story.pk]})
    live_story.refresh_from_db()
    assert live_story.live_running


def test_a_moderator_cannot_post_updates(client, moderator, live_story):
    client.force_login(moderator)
    assert client.get(ADD_UPDATE).status_code == 403
    assert client.post(ADD_UPDATE, update_form(live_story)).status_code == 403
    assert not LiveUpdate.objects.exists()


def test_the_story_form_links_to_posting_an_update(client, editor, live_story):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[live_story.pk])).content.decode()
    assert f'href="{ADD_UPDATE}?article={live_story.pk}"' in html


@pytest.mark.parametrize("value, seconds", [("", 30), ("60", 60), ("15", 15), ("1", 15)])
def test_readers_never_poll_more_often_than_every_15_seconds(value, seconds):
    env = {name: text for name, text in os.environ.items() if name != "LIVE_POLL_SECONDS"}
    if value:
        env["LIVE_POLL_SECONDS"] = value
    script = "import newsdesk.settings as s; print(s.LIVE_POLL_SECONDS)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == str(seconds), result.stderr


def test_the_poll_answer_costs_the_same_queries_however_many_updates_it_carries(
    client, django_assert_max_num_queries, live_story, make_photo
):
    def answer(n):
        last = post(live_story, "Seen.")
        for number in range(n):
            post(live_story, f"New {number}.", photo=make_photo() if number % 2 else None)
        cache.clear()
        with django_assert_max_num_queries(6) as captured:
            assert len(polled(client, live_story, since=last.pk).json()["updates"]) == n
        return len(captured.captured_queries)

    assert answer(2) == answer(12)
