"""A change makes exactly the stored pages that show it stale: the others are still served without SQL."""

import io
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.curation import FrontPage, Placement
from articles.models import Article, Author, LiveUpdate, Section, Tag
from comments.models import Comment
from pagecache.invalidation import invalidate_site
from pagecache.middleware import page_key
from photos.models import Photo
from tests.articles.test_revisions import story_form

pytestmark = pytest.mark.django_db

# What the recording purger of these tests was asked to purge, one list of tags per purge ("hard" first if hard).
purged = []


class RecordingPurger:
    """An edge purger (see pagecache/edge.py) that only remembers what it was asked."""

    def __init__(self, urls, timeout):
        pass

    def purge(self, tags, hard=False):
        purged.append(["hard", *sorted(tags)] if hard else sorted(tags))
        return set()


@pytest.fixture
def edge(settings):
    settings.EDGE_PURGE_URLS = ["http://edge.invalid/"]
    settings.EDGE_PURGER = "tests.pagecache.test_targeted.RecordingPurger"
    purged.clear()
    return purged


@pytest.fixture
def stories(make_article, make_section, make_author, make_tag, make_photo):
    """Story A and story B, which share nothing (section, author, tag, photo)."""
    a = make_article(
        headline="Harbour bridge reopens",
        section=make_section("City"),
        authors=[make_author("Ann Reporter")],
        tags=[make_tag("Bridges")],
        lead_photo=make_photo(caption="The bridge at dawn."),
    )
    b = make_article(
        headline="Rovers win the cup",
        section=make_section("Sport"),
        authors=[make_author("Bo Writer")],
        tags=[make_tag("Football")],
    )
    return a, b


def html(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def stored(django_assert_num_queries, *urls):
    """These pages are served from the cache."""
    with django_assert_num_queries(0):
        for url in urls:
            assert Client().get(url).status_code == 200, url


def test_editing_story_a_leaves_story_b_stored(stories, django_assert_num_queries):
    a, b = stories
    for url in (a.get_absolute_url(), b.get_absolute_url(), "/", b.section.get_absolute_url()):
        html(url)
    a = Article.objects.get(pk=a.pk)
    a.headline = "Harbour bridge reopens after repairs"
    a.save()
    stored(django_assert_num_queries, b.get_absolute_url(), b.section.get_absolute_url())
    assert "after repairs" in html(a.get_absolute_url())
    assert "after repairs" in html("/")
    assert "after repairs" in html(a.section.get_absolute_url())


def test_a_body_edit_refreshes_the_story_page_not_the_pages_that_show_its_card(
    stories, make_article, django_assert_num_queries
):
    a, _ = stories
    neighbour = make_article(headline="Ferry timetable changes", section=a.section)
    with_card = [neighbour.get_absolute_url(), "/", a.section.get_absolute_url()]
    assert "Harbour bridge reopens" in html(neighbour.get_absolute_url())  # among its related stories
    for url in [a.get_absolute_url(), *with_card]:
        html(url)
    a = Article.objects.get(pk=a.pk)
    a.body += "<p>Tolls are waived this week.</p>"
    a.save()
    stored(django_assert_num_queries, *with_card)
    assert "Tolls are waived this week." in html(a.get_absolute_url())
    a.standfirst = "Traffic flows again."
    a.save()
    for url in with_card:
        assert "Traffic flows again." in html(url), url


def test_a_body_saved_in_the_admin_leaves_the_publication_time_and_the_pages_with_the_card(
    stories, editor, make_article, django_assert_num_queries
):
    """The form shows whole seconds; a story published "now" has microseconds, which the save keeps."""
    a, _ = stories
    neighbour = make_article(headline="Ferry timetable changes", section=a.section)
    with_card = [neighbour.get_absolute_url(), "/", a.section.get_absolute_url()]
    for url in with_card:
        html(url)
    published = Article.objects.get(pk=a.pk).publish_at
    assert published.microsecond
    admin = Client()
    admin.force_login(editor)
    form = story_form(a, body=a.body + "<p>Tolls are waived this week.</p>")
    assert admin.post(reverse("admin:articles_article_change", args=[a.pk]), form).status_code == 302
    assert Article.objects.get(pk=a.pk).publish_at == published
    stored(django_assert_num_queries, *with_card)
    assert "Tolls are waived this week." in html(a.get_absolute_url())


def test_publishing_a_story_refreshes_the_lists_it_joins_and_no_other_story(
    stories, make_article, django_assert_num_queries
):
    a, b = stories
    for url in (b.get_absolute_url(), b.section.get_absolute_url(), "/", a.section.get_absolute_url()):
        html(url)
    draft = make_article(headline="Tunnel plans unveiled", section=a.section, status=Article.Status.DRAFT)
    stored(django_assert_num_queries, "/", a.section.get_absolute_url())
    draft.publish()
    stored(django_assert_num_queries, b.get_absolute_url(), b.section.get_absolute_url())
    assert "Tunnel plans unveiled" in html("/")
    assert "Tunnel plans unveiled" in html(a.section.get_absolute_url())


def test_approving_a_comment_on_a_leaves_b_stored(stories, django_assert_num_queries):
    a, b = stories
    html(a.get_absolute_url())
    html(b.get_absolute_url())
    comment = Comment.objects.create(
        article=a, author_name="Ada", email="ada@example.org", body="Long overdue.", status=Comment.Status.PENDING
    )
    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, None)
    stored(django_assert_num_queries, b.get_absolute_url())
    assert "Long overdue." in html(a.get_absolute_url())


def test_approving_a_comment_refreshes_the_counts_shown_not_the_related_stories(
    stories, make_article, django_assert_num_queries
):
    """The home page and the section show the story's comment count; a story listing it among its related
    stories shows none, so it stays stored."""
    a, _ = stories
    neighbour = make_article(headline="Ferry timetable changes", section=a.section)
    assert "Harbour bridge reopens" in html(neighbour.get_absolute_url())
    counted = ["/", a.section.get_absolute_url()]
    for url in counted:
        assert "1 comment" not in html(url), url
    comment = Comment.objects.create(
        article=a, author_name="Ada", email="ada@example.org", body="Long overdue.", status=Comment.Status.PENDING
    )
    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, None)
    stored(django_assert_num_queries, neighbour.get_absolute_url())
    for url in counted:
        assert "1 comment" in html(url), url


def test_renaming_an_author_tag_or_photo_caption_refreshes_only_the_pages_that_show_them(
    stories, django_assert_num_queries
):
    a, b = stories
    changes = [
        (Author.objects.get(name="Ann Reporter"), "name", "Ann Q. Reporter"),
        (Tag.objects.get(name="Bridges"), "name", "Bridges and tunnels"),
        (Photo.objects.get(pk=a.lead_photo_id), "caption", "The bridge at first light."),
    ]
    for row, field, value in changes:
        html(a.get_absolute_url())
        html(b.get_absolute_url())
        setattr(row, field, value)
        row.save()
        stored(django_assert_num_queries, b.get_absolute_url())
        assert value in html(a.get_absolute_url())


def test_a_draft_saved_changes_no_stored_page(make_article, django_assert_num_queries):
    make_article(headline="Out already")
    draft = make_article(headline="Work in progress", status=Article.Status.DRAFT)
    html("/")
    draft.body = "<p>Another paragraph.</p>"
    draft.save()
    stored(django_assert_num_queries, "/")


def rendered(url):
    """This page is rendered again, not served from the cache."""
    with CaptureQueriesContext(connection) as queries:
        page = html(url)
    assert queries.captured_queries, url
    return page


def test_site_wide_changes_make_every_page_stale(stories):
    a, b = stories
    html(b.get_absolute_url())
    invalidate_site()
    rendered(b.get_absolute_url())
    section = Section.objects.get(pk=a.section_id)
    section.name = "Metro"
    section.save()
    assert ">Metro<" in rendered(b.get_absolute_url()), "the menu of every page shows the sections"


def test_public_pages_name_what_they_show_for_every_kind_of_edge(stories):
    a, b = stories
    response = Client().get(a.get_absolute_url())
    tags = set(response["xkey"].split())
    author = a.bylines.get().author_id
    assert {f"story:{a.pk}", f"comments:{a.pk}", f"author:{author}", f"photo:{a.lead_photo_id}", "site"} <= tags
    assert f"story:{b.pk}" not in tags
    assert set(response["Surrogate-Key"].split()) == tags
    assert set(response["Cache-Tag"].split(",")) == tags
    home = set(Client().get("/")["xkey"].split())
    assert {"home", "most-read", f"story:{a.pk}", f"story:{b.pk}"} <= home
    assert "feeds" in Client().get("/feeds/rss/")["xkey"].split()
    assert "sitemaps" in Client().get("/sitemap.xml")["xkey"].split()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_purge_per_transaction_with_the_tags_it_changed(stories, edge):
    a, _ = stories
    edge.clear()
    with transaction.atomic():
        a = Article.objects.get(pk=a.pk)
        a.headline = "Harbour bridge reopens after repairs"
        a.save()
        a.corrections.create(text="An earlier version misnamed the bridge.")
        assert edge == []
    assert edge == [sorted({f"story:{a.pk}", "sitemaps", "untagged"})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_routine_changes_purge_soft_and_take_downs_hard(stories, edge, make_photo):
    a, b = stories
    edge.clear()
    a = Article.objects.get(pk=a.pk)
    a.headline = "Harbour bridge reopens after repairs"
    a.save()
    assert edge == [sorted({f"story:{a.pk}", "sitemaps", "untagged"})]

    replacement = make_photo()
    edge.clear()
    a.lead_photo = replacement
    a.save()
    assert len(edge) == 1 and edge[0][0] == "hard", "a lead photo taken off a story"

    edge.clear()
    b = Article.objects.get(pk=b.pk)
    b.withdraw()
    assert len(edge) == 1 and edge[0][0] == "hard"
    assert {f"story:{b.pk}", "home", f"section:{b.section_id}", "untagged"} <= set(edge[0])

    edge.clear()
    invalidate_site()
    assert edge == [["hard", "site"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unreachable_edge_never_fails_a_save(stories, settings, caplog):
    a, _ = stories
    # Nothing listens on port 9 (discard) here: the purge fails at once.
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    a = Article.objects.get(pk=a.pk)
    a.headline = "Saved whatever the edge says"
    with caplog.at_level(logging.WARNING, logger="pagecache.edge"):
        a.save()
    assert "Edge purge of" in caplog.text and f"story:{a.pk}" in caplog.text
    assert Article.objects.get(pk=a.pk).headline == "Saved whatever the edge says"
    assert "Saved whatever the edge says" in html(a.get_absolute_url())


def test_a_bulk_update_refreshes_the_lists_of_the_rows_it_changed(stories, django_assert_num_queries):
    a, b = stories
    html("/")
    html(b.section.get_absolute_url())
    Article.objects.filter(pk=a.pk).update(featured=True)
    stored(django_assert_num_queries, b.section.get_absolute_url())
    home = html("/")
    assert "Harbour bridge reopens" in home[home.index('class="top-stories"') :]


def test_the_command_makes_the_pages_of_a_tag_or_every_page_stale(stories, django_assert_num_queries):
    a, b = stories
    html(a.get_absolute_url())
    html(b.get_absolute_url())
    call_command("invalidate_pages", "--tag", f"story:{b.pk}", stdout=io.StringIO())
    stored(django_assert_num_queries, a.get_absolute_url())
    rendered(b.get_absolute_url())
    call_command("invalidate_pages", stdout=io.StringIO())
    rendered(a.get_absolute_url())


def test_a_page_stored_by_an_older_release_is_rebuilt_not_an_error(stories):
    """After a deploy, the shared cache still holds pages in the format of the release before."""
    a, _ = stories
    url = a.get_absolute_url()
    html(url)
    key = page_key(f"http://testserver{url}")
    entry = cache.get(key)
    cache.set(key, {name: entry[name] for name in ("generation", "fresh_until", "headers", "gzipped")})
    assert "Harbour bridge reopens" in rendered(url)


def test_placing_a_story_refreshes_its_front_pages_and_no_story(stories, django_assert_num_queries):
    a, b = stories
    urls = ("/", a.section.get_absolute_url(), b.section.get_absolute_url(), a.get_absolute_url(), b.get_absolute_url())
    for url in urls:
        html(url)
    FrontPage.objects.add_missing()
    Placement.objects.create(front_page=FrontPage.objects.get(section=b.section), article=b, position=1)
    stored(django_assert_num_queries, a.section.get_absolute_url(), a.get_absolute_url())
    rendered("/")
    rendered(b.section.get_absolute_url())
    home = FrontPage.objects.get(section=None)
    html(b.section.get_absolute_url())
    html(b.get_absolute_url())  # its related stories come from its section's list, which changed
    Placement.objects.create(front_page=home, article=a, position=1)
    stored(django_assert_num_queries, b.section.get_absolute_url(), a.get_absolute_url(), b.get_absolute_url())
    home_page = html("/")
    lead = home_page.index('class="card card--large"')
    assert lead < home_page.index(a.headline) < home_page.index('class="card"', lead)


def test_a_live_update_refreshes_its_story_and_its_poll_only(stories, make_author, django_assert_num_queries):
    a, b = stories
    Article.objects.filter(pk=a.pk).update(live_coverage=True)
    poll = reverse("articles:live_updates", args=[a.pk])
    for url in (a.get_absolute_url(), poll, b.get_absolute_url(), "/"):
        html(url)
    writer = make_author("Cy Live")
    update = LiveUpdate.objects.create(article=a, body="<p>The first cars cross.</p>", author=writer)
    stored(django_assert_num_queries, b.get_absolute_url(), "/")
    assert "The first cars cross." in html(a.get_absolute_url())
    assert "The first cars cross." in html(poll)
    writer.name = "Cy Q. Live"
    writer.save()
    stored(django_assert_num_queries, b.get_absolute_url())
    assert "Cy Q. Live" in html(a.get_absolute_url())
    assert "Cy Q. Live" in html(poll)
    update.delete()
    assert "The first cars cross." not in html(a.get_absolute_url())
