"""Every public page runs a fixed number of SQL queries, however many items it shows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles.models import AlsoRead, BodyPhoto, Correction
from comments.models import Comment

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2024, 6, 3, 12, 0, tzinfo=datetime.UTC)

# The most queries each page may run, with the page cache empty (the page cache adds one:
# when does the next scheduled story go live; the breaking-news banner one more, once per
# page generation; a section page one for its placed stories).
LIST_PAGES = {
    "home": ("/", 15),
    "section": ("/world/", 9),
    "section, an older page": ("/world/?before=older", 9),
    "tag": ("/tag/{tag}/", 8),
    "author": ("/author/{author}/", 8),
    "year archive": ("/archive/2024/", 7),
    "month archive": ("/archive/2024/06/", 7),
    "day archive": ("/archive/2024/06/03/", 7),
}


@pytest.fixture
def fill(make_article, make_author, make_photo, make_tag, section):
    tag, author = make_tag(), make_author()

    def fill(count, start=DAY):
        for n in range(count):
            make_article(
                section=section,
                publish_at=start - datetime.timedelta(minutes=n),
                lead_photo=make_photo(),
                authors=[author, make_author(), make_author()],
                tags=[tag, make_tag()],
                featured=n % 3 == 0,
            )
        return tag, author

    return fill


def queries_for(client, django_assert_max_num_queries, url, limit, shows='class="card'):
    cache.clear()
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode()
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_pages_query_count_is_fixed(client, django_assert_max_num_queries, fill, settings, page):
    settings.PAGE_SIZE = 4
    template, limit = LIST_PAGES[page]

    def url(tag, author):
        address = template.format(tag=tag.slug, author=author.slug)
        if "before=older" in address:
            first = client.get("/world/").content.decode()
            address = first[first.index('rel="next" href="') + 17 :].split('"')[0].replace("&amp;", "&")
        return address

    tag, author = fill(5)
    few = queries_for(client, django_assert_max_num_queries, url(tag, author), limit)
    fill(25)
    assert queries_for(client, django_assert_max_num_queries, url(tag, author), few) <= few


# Feeds, sitemaps and search: (address, most queries, what the response must contain).
OTHER_PAGES = {
    "site feed": ("/feeds/rss/", 7, "<item>"),
    "section atom feed": ("/feeds/section/world/atom/", 7, "<entry>"),
    "tag feed": ("/feeds/tag/{tag}/rss/", 7, "<item>"),
    "author feed": ("/feeds/author/{author}/rss/", 7, "<item>"),
    "sitemap index": ("/sitemap.xml", 7, "<sitemap>"),
    "story sitemap": ("/sitemap-stories.xml", 5, "<url>"),
    "news sitemap": ("/news-sitemap.xml", 4, "<news:news>"),
    # SQLite reads the ids of the ranking window first, and its first search asks whether the index exists.
    "search": ("/search/?q=Story", 9 if connection.vendor == "sqlite" else 7, 'class="search-result'),
}


@pytest.mark.parametrize("page", list(OTHER_PAGES))
def test_feeds_sitemaps_and_search_query_count_is_fixed(client, django_assert_max_num_queries, fill, page):
    template, limit, shows = OTHER_PAGES[page]
    recent = timezone.now() - datetime.timedelta(hours=1)
    tag, author = fill(5, recent)
    url = template.format(tag=tag.slug, author=author.slug)
    few = queries_for(client, django_assert_max_num_queries, url, limit, shows)
    fill(25, recent)
    assert queries_for(client, django_assert_max_num_queries, url, few, shows) <= few


def test_story_page_query_count_is_fixed(
    client, django_assert_max_num_queries, make_article, make_author, make_tag, make_photo
):
    def story_with(n):
        story = make_article(
            authors=[make_author() for _ in range(n)],
            tags=[make_tag() for _ in range(n)],
            lead_photo=make_photo(),
        )
        for position in range(1, n + 1):
            AlsoRead.objects.create(
                article=story, target=make_article(lead_photo=make_photo()), after_paragraph=position
            )
            Correction.objects.create(article=story, text=f"Correction {position}.")
            BodyPhoto.objects.create(article=story, photo=make_photo(), after_paragraph=1 + position % 3)
        parent = None
        for number in range(5 * n):
            parent = Comment.objects.create(
                article=story,
                parent=parent if number % 2 else None,
                author_name=f"Reader {number}",
                email=f"reader{number}@example.org",
                body=f"Comment {number}.",
                status=Comment.Status.APPROVED,
            )
        return story

    small, large = story_with(1), story_with(10)
    few = queries_for(client, django_assert_max_num_queries, small.get_absolute_url(), 18, 'class="comment"')
    assert queries_for(client, django_assert_max_num_queries, large.get_absolute_url(), few, "Reader 49") <= few


def story_with_comments(make_article, make_author, make_tag, make_photo, comments):
    story = make_article(lead_photo=make_photo(), authors=[make_author()], tags=[make_tag()])
    for number in range(comments):
        Comment.objects.create(
            article=story,
            author_name=f"Reader {number}",
            email=f"reader{number}@example.org",
            body=f"Comment {number}.",
            status=Comment.Status.APPROVED,
        )
    return story


def test_uncached_home_page_runs_exactly_these_queries(client, django_assert_num_queries, fill, settings):
    """Three lists of cards, each one query, then their stories with bylines and photos for the cards, and
    no renditions: the cards' pictures are kept on the photo rows. The page cache is off; storing the
    fragments asks when the next story goes live."""
    settings.PAGE_CACHE_SECONDS = 0
    fill(30)
    cache.clear()
    with django_assert_num_queries(11) as captured:
        response = client.get("/")
    assert response.content.decode().count('class="card') > 10
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "photos_rendition" not in sql and '"articles_article"."body"' not in sql


def test_uncached_story_page_runs_exactly_these_queries(
    client, django_assert_num_queries, make_article, make_author, make_tag, make_photo, settings
):
    """The comment settings and the story's moderation mode are read once, then kept as a fragment
    (CommentSettings.for_story_page); pictures come from the photo rows. Storing the fragments asks when
    the next scheduled story goes live: none outlives that."""
    settings.PAGE_CACHE_SECONDS = 0
    story = story_with_comments(make_article, make_author, make_tag, make_photo, 50)
    cache.clear()
    with django_assert_num_queries(12) as captured:
        assert "Reader 49" in client.get(story.get_absolute_url()).content.decode()
    assert any("comments_storymoderation" in query["sql"] for query in captured.captured_queries)
    # The breaking-news banner is kept per page generation too; the story, its head, the comment thread and
    # the menu are stored fragments: only the story's row is read.
    with django_assert_num_queries(1) as captured:
        assert "Reader 49" in client.get(story.get_absolute_url()).content.decode()
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "comments_storymoderation" not in sql and "comments_commentsettings" not in sql
    assert "photos_rendition" not in sql
