"""Changes that used to leave stale pages in the cache: each shows on the next request."""

import datetime
import io
import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from pagecache.invalidation import version_key


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_story_scheduled_with_the_admin_action_reaches_a_stored_home_page(editor, make_article):
    make_article(headline="Already out")
    go_live = timezone.now() + datetime.timedelta(seconds=2)
    story = make_article(headline="Embargoed story", status=Article.Status.DRAFT, publish_at=go_live)
    reader = Client()
    assert "Embargoed story" not in html(reader, "/")

    desk = Client()
    desk.force_login(editor)
    desk.post(reverse("admin:articles_article_changelist"), {"action": "schedule", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Article.Status.SCHEDULED
    assert "Embargoed story" not in html(reader, "/")

    # No page is kept past the go-live time (read before each render: tests/pagecache/test_urgent.py).
    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.05)
    assert "Embargoed story" in html(reader, "/")


@pytest.mark.django_db
def test_schedule_refuses_a_time_that_has_passed(make_article):
    story = make_article(status=Article.Status.DRAFT, publish_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(Exception, match="choose a time in the future"):
        story.schedule()
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_publish_and_withdraw_show_on_stored_pages(make_article):
    story = make_article(headline="Waiting story", status=Article.Status.DRAFT)
    reader = Client()
    assert "Waiting story" not in html(reader, "/")
    story.publish()
    assert "Waiting story" in html(reader, "/")
    assert "Waiting story" in html(reader, story.get_absolute_url())
    story.withdraw()
    assert "Waiting story" not in html(reader, "/")
    assert reader.get(story.get_absolute_url()).status_code == 410


@pytest.mark.django_db
def test_rebuilding_renditions_leaves_no_stored_page_pointing_at_a_deleted_file(make_article, make_photo):
    story = make_article(lead_photo=make_photo())
    reader = Client()
    before = set(re.findall(r"/media/[^\s\"',]+", html(reader, story.get_absolute_url())))
    assert before

    call_command("build_renditions", "--force", stdout=io.StringIO())

    after = set(re.findall(r"/media/[^\s\"',]+", html(reader, story.get_absolute_url())))
    missing = [url for url in after if not (settings.MEDIA_ROOT / url.removeprefix("/media/")).is_file()]
    assert after and not missing
    assert after != before, "the rebuilt files have new names"


@pytest.mark.urls("tests.pagecache.racing_urls")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_page_rendered_while_an_edit_commits_is_not_kept_past_the_edit(make_article):
    from tests.pagecache import racing_urls

    story = make_article(headline="Headline before")
    url = f"/headline/{story.pk}/"
    racing_urls.edits.append("Headline after")
    assert html(Client(), url) == "Headline before"
    assert html(Client(), url) == "Headline after"


@pytest.mark.urls("tests.pagecache.racing_urls")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_page_rendered_while_another_story_changes_is_kept(make_article, django_assert_num_queries):
    """A newsroom commits a change every second or so: a page must not be thrown away for one it does not show."""
    from tests.pagecache import racing_urls

    story, other = make_article(headline="Shown here"), make_article(headline="Shown elsewhere")
    url = f"/headline/{story.pk}/"
    racing_urls.elsewhere.append(other.pk)
    first = Client().get(url)
    assert first.content.decode() == "Shown here" and "s-maxage=0" not in first["Cache-Control"]
    with django_assert_num_queries(0):
        assert Client().get(url)["X-Page-Cache"] == "hit"
    story.headline = "Changed here"
    story.save()
    assert html(Client(), url) == "Changed here"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_go_stale_when_the_edit_commits_not_before(make_article):
    story = make_article()
    url = story.get_absolute_url()
    assert "Edited inside a transaction" not in html(Client(), url)
    version = version_key(f"story:{story.pk}")
    before = cache.get(version)
    with transaction.atomic():
        story.headline = "Edited inside a transaction"
        story.save()
        Article.objects.filter(pk=story.pk).update(featured=True)
        # A reader now still sees the old rows: what it stores must carry the old versions.
        assert cache.get(version) == before
    assert cache.get(version) != before
    assert "Edited inside a transaction" in html(Client(), url)
