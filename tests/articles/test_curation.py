"""Front-page curation and the breaking-news banner: what readers see, who may change it, and the page cache."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.curation import (
    HOME_SLOTS,
    BreakingNews,
    FrontPage,
    Placement,
    current_banner,
    home_section_stories,
    home_top,
)
from articles.models import Article
from pagecache.pages import seconds_to_keep
from tests.query_plans import analyzed_plan, rows_read

pytestmark = pytest.mark.django_db


def headlines(html, block):
    """The card headlines inside the first element with class ``block``, in order."""
    start = html.index(f'class="{block}')
    end = html.index("</section>", start)
    return re.findall(r'class="card__headline"><a href="[^"]+">([^<]+)</a>', html[start:end])


def home_page():
    return FrontPage.objects.get_or_create(section=None)[0]


def place(front_page, *stories):
    for position, story in enumerate(stories, start=1):
        Placement.objects.create(front_page=front_page, article=story, position=position)


@pytest.fixture
def stories(make_article, section):
    """Six live stories, newest first; the first two are marked "top story"."""
    return [make_article(headline=f"Story {n}", section=section, featured=n < 2) for n in range(6)]


def test_home_leads_with_the_placed_stories_in_their_order_then_the_newest_top_stories(client, stories):
    place(home_page(), stories[4], stories[3])
    html = client.get("/").content.decode()
    assert headlines(html, "top-stories") == ["Story 4", "Story 3", "Story 0", "Story 1"]
    lead = html.index('class="card card--large"')
    assert lead < html.index("Story 4") < html.index('class="card"', lead)


def test_without_curation_the_home_page_shows_the_newest_top_stories(client, stories):
    assert headlines(client.get("/").content.decode(), "top-stories") == ["Story 0", "Story 1"]


def test_unpublished_and_withdrawn_stories_drop_out_of_their_slots(client, stories, make_article, section):
    draft = make_article(headline="Draft story", section=section, status=Article.Status.DRAFT)
    place(home_page(), stories[5], draft, stories[4])
    stories[5].withdraw()
    html = client.get("/").content.decode()
    assert headlines(html, "top-stories") == ["Story 4", "Story 0", "Story 1"]
    assert "Draft story" not in html and "Story 5" not in html.split('id="section-')[0]


def test_a_story_placed_before_it_goes_live_leads_once_it_is_live(client, stories, make_article, section):
    due = timezone.now() + datetime.timedelta(minutes=5)
    later = make_article(headline="Embargoed", section=section, status=Article.Status.SCHEDULED, publish_at=due)
    place(home_page(), later)
    assert "Embargoed" not in client.get("/").content.decode()
    assert seconds_to_keep() <= 300  # no stored page outlives its go-live time
    Article.objects.filter(pk=later.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    assert headlines(client.get("/").content.decode(), "top-stories")[0] == "Embargoed"


def test_home_shows_at_most_its_slots(client, make_article, section):
    many = [make_article(section=section) for _ in range(HOME_SLOTS + 2)]
    place(home_page(), *many)
    assert len(headlines(client.get("/").content.decode(), "top-stories")) == HOME_SLOTS


def test_section_page_leads_with_its_placed_stories_and_lists_the_rest_newest_first(client, stories, section):
    place(FrontPage.objects.create(section=section), stories[5], stories[2])
    html = client.get(section.get_absolute_url()).content.decode()
    assert headlines(html, "top-stories") == ["Story 5", "Story 2"]
    listed = re.findall(r">(Story \d)</a>", html[html.index('class="story-list"') :])
    assert listed == ["Story 0", "Story 1", "Story 3", "Story 4"]


def test_section_page_without_curation_is_the_newest_first_list(client, stories, section):
    html = client.get(section.get_absolute_url()).content.decode()
    assert "top-stories" not in html
    assert re.findall(r">(Story \d)</a>", html) == [f"Story {n}" for n in range(6)]


def test_home_section_block_follows_the_section_curation(client, stories, section):
    place(FrontPage.objects.create(section=section), stories[5])
    html = client.get("/").content.decode()
    block = html[html.index(f'id="section-{section.slug}"') :]
    assert re.findall(r">(Story \d)</a>", block)[:4] == ["Story 5", "Story 0", "Story 1", "Story 2"]


def test_a_section_front_page_takes_only_its_own_stories(make_article, make_section, section):
    other = make_article(section=make_section("Sport"))
    placement = Placement(front_page=FrontPage.objects.create(section=section), article=other, position=1)
    with pytest.raises(ValidationError, match="not in World"):
        placement.full_clean()


def test_one_front_page_per_page(section):
    FrontPage.objects.add_missing()
    FrontPage.objects.add_missing()
    assert FrontPage.objects.filter(section=None).count() == 1
    assert FrontPage.objects.filter(section=section).count() == 1
    with pytest.raises(ValidationError):
        FrontPage(section=None).validate_constraints()


def test_placing_a_story_makes_stored_pages_stale(client, stories):
    assert headlines(client.get("/").content.decode(), "top-stories")[0] == "Story 0"
    place(home_page(), stories[3])
    assert headlines(client.get("/").content.decode(), "top-stories")[0] == "Story 3"
    Placement.objects.all().delete()
    assert headlines(client.get("/").content.decode(), "top-stories")[0] == "Story 0"


# The admin.


def slots_form(front_page, rows):
    """The front page's change form as posted: ``rows`` are (placement or None, story, position)."""
    data = {
        "placements-TOTAL_FORMS": str(len(rows)),
        "placements-INITIAL_FORMS": str(sum(1 for placement, _, _ in rows if placement)),
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": str(front_page.slots),
    }
    for n, (placement, story, position) in enumerate(rows):
        data.update(
            {
                f"placements-{n}-id": placement.pk if placement else "",
                f"placements-{n}-front_page": front_page.pk,
                f"placements-{n}-article": story.pk if story else "",
                f"placements-{n}-position": position,
            }
        )
    return data


def change_url(front_page):
    return reverse("admin:articles_frontpage_change", args=[front_page.pk])


def test_editor_sees_every_front_page_in_the_admin(client, editor, section):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_frontpage_changelist")).content.decode()
    assert "Home page" in html and "World section" in html


def test_editor_reorders_the_home_page_with_the_position_fields(client, editor, stories):
    front_page = home_page()
    place(front_page, stories[3], stories[4])
    first, second = front_page.placements.all()
    client.force_login(editor)
    page = client.get(change_url(front_page)).content.decode()
    assert "Readers see now" in page and 'js/curation.js"' in page
    rows = [(first, stories[3], 2), (second, stories[4], 1), (None, stories[5], 3), (None, None, 4)]
    response = client.post(change_url(front_page), slots_form(front_page, rows))
    assert response.status_code == 302
    assert headlines(client.get("/").content.decode(), "top-stories")[:3] == ["Story 4", "Story 3", "Story 5"]


def test_an_empty_slot_left_alone_is_no_error(client, editor, stories):
    front_page = home_page()
    client.force_login(editor)
    response = client.post(change_url(front_page), slots_form(front_page, [(None, stories[2], 1), (None, None, 2)]))
    assert response.status_code == 302
    assert list(front_page.placements.values_list("article__headline", flat=True)) == ["Story 2"]


def test_the_same_story_twice_is_a_form_error(client, editor, stories):
    front_page = home_page()
    client.force_login(editor)
    twice = slots_form(front_page, [(None, stories[2], 1), (None, stories[2], 2)])
    response = client.post(change_url(front_page), twice)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not Placement.objects.exists()


@pytest.mark.parametrize("who", ["reporter", "moderator"])
def test_only_editors_curate(client, request, who, stories):
    client.force_login(request.getfixturevalue(who))
    front_page = home_page()
    assert client.get(reverse("admin:articles_frontpage_changelist")).status_code == 403
    assert client.get(change_url(front_page)).status_code == 403
    response = client.post(change_url(front_page), slots_form(front_page, [(None, stories[2], 1)]))
    assert response.status_code == 403 and not Placement.objects.exists()
    assert client.get(reverse("admin:articles_breakingnews_add")).status_code == 403
    response = client.post(reverse("admin:articles_breakingnews_add"), banner_form())
    assert response.status_code == 403 and not BreakingNews.objects.exists()


# The breaking-news banner.


def banner_form(**overrides):
    expires = timezone.localtime() + datetime.timedelta(hours=1)
    data = {
        "text": "Earthquake hits the capital",
        "link": "/world/",
        "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S"),
    }
    return data | overrides


def banner(**kwargs):
    kwargs.setdefault("expires_at", timezone.now() + datetime.timedelta(hours=1))
    kwargs.setdefault("text", "Earthquake hits the capital")
    return BreakingNews.objects.create(**kwargs)


def test_editor_sets_the_banner_and_every_stored_page_shows_it_at_once(client, editor, stories, section):
    pages = ["/", section.get_absolute_url(), stories[0].get_absolute_url(), "/corrections/", reverse("comments:faq")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and "Earthquake" not in response.content.decode()
    client.force_login(editor)
    assert client.post(reverse("admin:articles_breakingnews_add"), banner_form()).status_code == 302
    client.logout()
    for url in pages:
        html = client.get(url).content.decode()
        assert '<a class="breaking-news__text" href="/world/">Earthquake hits the capital</a>' in html, url


def test_editing_and_clearing_the_banner_change_stored_pages(client, editor, stories):
    shown = banner()
    assert "Earthquake" in client.get("/").content.decode()
    shown.text = "Aftershock felt in the north"
    shown.save()
    html = client.get("/").content.decode()
    assert "Aftershock felt in the north" in html and "Earthquake" not in html
    client.force_login(editor)
    changelist = reverse("admin:articles_breakingnews_changelist")
    response = client.post(changelist, {"action": "clear_now", "_selected_action": [shown.pk]}, follow=True)
    assert "Cleared 1 banner." in response.content.decode()
    client.logout()
    assert "breaking-news" not in client.get("/").content.decode()


def test_no_stored_page_outlives_the_banner(client, stories):
    assert seconds_to_keep() > 100
    banner(expires_at=timezone.now() + datetime.timedelta(seconds=90))
    client.get("/")
    assert 85 <= seconds_to_keep() <= 90


def test_an_expired_banner_is_gone_even_from_the_cache(stories, monkeypatch):
    shown = banner(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    older = banner(text="Older, still running", expires_at=timezone.now() + datetime.timedelta(hours=1))
    BreakingNews.objects.filter(pk=older.pk).update(created_at=shown.created_at - datetime.timedelta(minutes=5))
    assert current_banner() == shown
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert current_banner() == older


def test_the_banner_costs_no_query_once_read(django_assert_num_queries, stories):
    banner()
    current_banner()
    with django_assert_num_queries(0):
        assert current_banner().text == "Earthquake hits the capital"


@pytest.mark.parametrize(
    "link, ok",
    [("/world/", True), ("https://example.org/live", True), ("javascript:alert(1)", False), ("//evil.example", False)],
)
def test_banner_links_are_site_paths_or_web_addresses(link, ok):
    candidate = BreakingNews(text="Breaking", link=link, expires_at=timezone.now() + datetime.timedelta(hours=1))
    if ok:
        candidate.full_clean()
    else:
        with pytest.raises(ValidationError):
            candidate.full_clean()


def test_a_banner_expiring_in_the_past_is_a_form_error(client, editor):
    client.force_login(editor)
    past = timezone.localtime() - datetime.timedelta(hours=1)
    data = banner_form(expires_at_0=past.strftime("%Y-%m-%d"), expires_at_1=past.strftime("%H:%M:%S"))
    response = client.post(reverse("admin:articles_breakingnews_add"), data)
    assert response.status_code == 200 and "Choose a time in the future." in response.content.decode()
    assert not BreakingNews.objects.exists()


def test_banner_text_is_escaped(client, stories):
    banner(text="<script>alert(1)</script> & more")
    html = client.get("/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html and "<script>alert" not in html


def test_curation_costs_no_query_on_the_home_page(client, django_assert_max_num_queries, stories, section):
    def home_queries():
        cache.clear()
        with django_assert_max_num_queries(20) as captured:
            client.get("/")
        return len(captured.captured_queries)

    uncurated = home_queries()
    place(home_page(), *stories[2:5])
    place(FrontPage.objects.create(section=section), stories[5])
    assert home_queries() == uncurated


def test_a_section_page_costs_the_same_however_many_stories_are_placed(
    client, django_assert_max_num_queries, stories, section
):
    front_page = FrontPage.objects.create(section=section)

    def section_queries():
        cache.clear()
        with django_assert_max_num_queries(12) as captured:
            client.get(section.get_absolute_url())
        return len(captured.captured_queries)

    place(front_page, stories[5])
    one = section_queries()
    Placement.objects.all().delete()
    place(front_page, *stories[1:5])
    assert section_queries() == one


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL query plan")
@pytest.mark.parametrize("query", [home_top, home_section_stories])
def test_home_page_reads_a_few_stories_whatever_the_size_of_the_archive(stories, section, make_archive, query):
    """The placed stories and the newest are found by index; OR-ing them once made PostgreSQL test every story."""
    now = timezone.now()
    make_archive(section, 3000, lambda n: now - datetime.timedelta(days=2, minutes=n), featured=lambda n: n % 10 == 0)
    place(home_page(), stories[4])
    place(FrontPage.objects.get_or_create(section=section)[0], stories[5])
    sql, params = query(Article.objects.published()).query.sql_with_params()
    plan = analyzed_plan(sql, params, ["articles_article", "articles_placement", "articles_frontpage"])
    assert rows_read(plan, {"articles_article"}) < 100, json.dumps(plan, indent=1)
