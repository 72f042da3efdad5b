"""/archive/: every year and month with live stories and how many, from one grouped query, cached."""

import datetime

from django.utils import timezone

from articles.models import Article


def at(year, month, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def test_lists_years_and_months_with_their_counts(client, make_article):
    for when in [at(2024, 1), at(2024, 1, 2), at(2024, 3), at(2025, 11)]:
        make_article(publish_at=when)
    make_article(status=Article.Status.DRAFT, publish_at=at(2023, 5))
    make_article(status=Article.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(days=400))
    html = client.get("/archive/").content.decode()
    assert "2023" not in html.split('class="archive-index"')[1]
    years = [chunk.split("</a>")[0] for chunk in html.split('<a href="/archive/')[1:] if "/" in chunk[:6]]
    assert years[:1] == ['2025/">2025']
    assert '<a href="/archive/2025/11/">November</a>' in html
    assert '<a href="/archive/2024/01/">January</a>\n        <span class="archive-index__count">2</span>' in html
    assert '<a href="/archive/2024/03/">March</a>' in html
    assert "February" not in html
    assert "3 stories" in html and "1 story" in html
    assert html.index("/archive/2025/") < html.index("/archive/2024/03/") < html.index("/archive/2024/01/")


def test_months_are_those_of_the_site_time_zone(client, make_article, settings):
    settings.TIME_ZONE = "Asia/Karachi"  # UTC+5: 21:00 UTC on Jan 31 is Feb 1 there
    timezone.activate("Asia/Karachi")
    try:
        make_article(publish_at=datetime.datetime(2024, 1, 31, 21, tzinfo=datetime.UTC))
        html = client.get("/archive/").content.decode()
    finally:
        timezone.deactivate()
    assert '/archive/2024/02/">February</a>' in html and "January" not in html


def test_one_grouped_query_then_served_from_the_page_cache(client, make_article, django_assert_num_queries):
    for month in range(1, 13):
        make_article(publish_at=at(2020, month))
    # The months; the sections of the navigation; the next scheduled story and the breaking-news banner
    # (how long the page may be kept).
    with django_assert_num_queries(4):
        client.get("/archive/")
    with django_assert_num_queries(0):
        client.get("/archive/")


def test_a_new_story_updates_the_stored_index(client, make_article):
    make_article(publish_at=at(2024, 6))
    assert "July" not in client.get("/archive/").content.decode()
    story = make_article(status=Article.Status.DRAFT, publish_at=at(2024, 7))
    story.publish()
    assert '/archive/2024/07/">July</a>' in client.get("/archive/").content.decode()


def test_empty_archive_says_so_and_the_footer_links_to_it(client, db):
    html = client.get("/archive/").content.decode()
    assert "No stories have been published yet." in html
    assert '<a href="/archive/">Archive</a>' in client.get("/").content.decode()
