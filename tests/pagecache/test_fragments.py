"""Fragments (story cards, comment threads, photos) are used only while what they show is unchanged.

With the page cache off, every page below is rendered again; what it shows
comes from the fragments stored by the request before. After each kind of
change, the page must show the change, and be the very page a render
without any fragment gives.
"""

import datetime
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Byline, Correction
from comments.awaiting import SESSION_KEY
from comments.models import Comment, CommentSettings
from pagecache import fragments, invalidation
from pagecache.pages import tags_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def story(make_article, make_author, make_photo, make_section):
    return make_article(
        headline="Harbour bridge reopens",
        standfirst="Traffic flows again after two years.",
        section=make_section("City"),
        authors=[make_author("Ann Reporter")],
        lead_photo=make_photo(caption="The bridge at dawn.", alt_text="A bridge over a harbour"),
    )


@pytest.fixture
def stored(client, story):
    """The home page and the story page rendered once: their fragments are stored."""
    for url in ("/", story.get_absolute_url()):
        assert client.get(url).status_code == 200
    reading = invalidation.reading()
    # no comments: the home page counted them
    card = fragments.cache.get(fragments.stored_as(reading, fragments.key("card", story.pk, 0)))
    # in the home page's latest stories: not large, section shown, on the first screen
    assert card and (False, False, True) in card["value"], "no card was stored"
    return story


def page(client, url, settings):
    """The page with fragments, checked against the page rendered without any."""
    html = client.get(url).content.decode()
    settings.FRAGMENT_SECONDS = 0
    try:
        assert client.get(url).content.decode() == html, "a fragment showed something stale"
    finally:
        settings.FRAGMENT_SECONDS = 86400
    return html


def raw_update(sql, *params):
    """A change no code is told of: what the page then shows comes from the fragments."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_stored_card_is_used(client, stored):
    raw_update("UPDATE articles_article SET headline = %s WHERE id = %s", "Unseen headline", stored.pk)
    html = client.get("/").content.decode()
    # The list's metadata (in the head) reads the row; the card is the one stored.
    assert ">Harbour bridge reopens</a>" in html and ">Unseen headline</a>" not in html


def test_a_stored_thread_is_used(client, stored, make_comment):
    comment = make_comment(stored, body="First!")
    client.get(stored.get_absolute_url())
    raw_update("UPDATE comments_comment SET body = %s WHERE id = %s", "Unseen remark", comment.pk)
    html = client.get(stored.get_absolute_url()).content.decode()
    assert "First!" in html and "Unseen remark" not in html


@pytest.mark.parametrize("field,value", [("headline", "Bridge closes again"), ("standfirst", "Gridlock returns.")])
def test_story_text(client, settings, stored, field, value):
    setattr(stored, field, value)
    stored.save()
    assert value in page(client, "/", settings)


def test_section_rename(client, settings, stored):
    stored.section.name = "Metro"
    stored.section.save()
    assert "Metro" in page(client, "/", settings)


def test_author_name(client, settings, stored):
    author = stored.bylines.get().author
    author.name = "Ann Editor"
    author.save()
    assert "Ann Editor" in page(client, "/", settings)


def test_new_byline(client, settings, stored, make_author):
    Byline.objects.create(article=stored, author=make_author("Cy Second"), order=1)
    assert "Cy Second" in page(client, "/", settings)


@pytest.mark.parametrize("field,value", [("alt_text", "The bridge from the air"), ("caption", "Opening day.")])
def test_photo_text(client, settings, stored, field, value):
    photo = stored.lead_photo
    setattr(photo, field, value)
    photo.save()
    html = page(client, stored.get_absolute_url(), settings)
    assert value in html
    if field == "alt_text":
        assert value in page(client, "/", settings)


def test_photo_crop(client, settings, stored):
    before = client.get("/").content.decode()
    photo = stored.lead_photo
    photo.focal_x, photo.focal_y = 0.1, 0.9
    photo.save()
    after = page(client, "/", settings)
    assert after != before


@pytest.mark.parametrize(
    "change",
    [
        lambda comment, user: comment.moderate(Comment.Status.REJECTED, user),
        lambda comment, user: comment.delete(),
        # A commenter banned: the desk marks the comment as spam (comments/desk.py).
        lambda comment, user: comment.moderate(Comment.Status.SPAM, user, "Commenter banned for good"),
    ],
    ids=["rejected", "deleted", "commenter banned"],
)
def test_comment_taken_down(client, settings, stored, make_comment, moderator, change):
    comment = make_comment(stored, body="A remark to take down.")
    assert "A remark to take down." in page(client, stored.get_absolute_url(), settings)
    assert "1 comment" in page(client, "/", settings)
    change(comment, moderator)
    assert "A remark to take down." not in page(client, stored.get_absolute_url(), settings)
    assert "1 comment" not in page(client, "/", settings)


def test_comment_approved_and_edited(client, settings, stored, make_comment, moderator):
    comment = make_comment(stored, body="Waiting remark.", status=Comment.Status.PENDING)
    assert "Waiting remark." not in page(client, stored.get_absolute_url(), settings)
    comment.moderate(Comment.Status.APPROVED, moderator)
    assert "Waiting remark." in page(client, stored.get_absolute_url(), settings)
    assert "1 comment" in page(client, "/", settings)
    comment.refresh_from_db()
    comment.body = "Edited remark."
    comment.save()
    assert "Edited remark." in page(client, stored.get_absolute_url(), settings)


def test_a_card_without_its_count_is_another_card(client, settings, stored, make_article, make_comment):
    """The story page's related cards show no comment count; the home page's do."""
    make_comment(stored)
    other = make_article(section=stored.section)
    assert stored.headline in page(client, other.get_absolute_url(), settings)
    assert "1 comment" in page(client, "/", settings)


def test_comment_settings(client, settings, stored, make_comment):
    make_comment(stored)
    assert "?reply_to=" in page(client, stored.get_absolute_url(), settings)
    Article.objects.filter(pk=stored.pk).update(publish_at=timezone.now() - datetime.timedelta(days=3))
    CommentSettings.objects.create(close_after_days=1)
    stored.refresh_from_db()  # its address has the new date
    html = page(client, stored.get_absolute_url(), settings)
    assert "?reply_to=" not in html and "this story&#x27;s are closed" in html


def test_story_withdrawn(client, settings, stored):
    stored.status = Article.Status.WITHDRAWN
    stored.save()
    assert "Harbour bridge reopens" not in page(client, "/", settings)
    assert client.get(stored.get_absolute_url()).status_code == 410


def test_scheduled_go_live(client, settings, stored, make_article):
    """Nothing is written when a scheduled story goes live: what was kept before lasts no longer than until then
    (the home page's lists and cards, as the story page's related stories below)."""
    make_article(
        headline="Tunnel opens at noon",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(seconds=2),
    )
    assert "Tunnel opens at noon" not in page(client, "/", settings)
    time.sleep(2.5)
    assert "Tunnel opens at noon" in page(client, "/", settings)


def test_language_in_keys(client, settings, stored):
    settings.LANGUAGE_CODE = "ur"
    html = client.get("/").content.decode()
    assert 'lang="ur"' in html
    assert "Harbour bridge reopens" in html


def test_a_page_records_its_fragments_tags(rf):
    """A page rendered from fragments goes stale with them, here and at the edge: it carries their tags."""
    pieces = [(fragments.key("test", 1), ["story:1", "photo:2"], lambda: "<p>piece</p>")]
    first, second = rf.get("/"), rf.get("/")
    for request in (first, second):
        request.fragment_reading = invalidation.reading()
        fragments.FragmentMiddleware(lambda request: fragments.render_many(request, pieces))(request)
    assert tags_of(first) == tags_of(second) == {"story:1", "photo:2"}
    assert first.fragments_rendered and not second.__dict__.get("fragments_rendered"), "the second was not a hit"


def test_own_pending_comment_stays_out_of_shared_fragments(client, stored, make_comment, post_comment):
    make_comment(stored, body="Approved remark.")
    assert post_comment(stored, body="My own pending words.").status_code == 302
    mine = client.get(stored.get_absolute_url()).content.decode()
    assert "My own pending words." in mine and "Approved remark." in mine
    assert client.session[SESSION_KEY]
    anyone = Client().get(stored.get_absolute_url()).content.decode()
    assert "Approved remark." in anyone and "My own pending words." not in anyone


def test_reply_form_and_token_stay_out_of_shared_fragments(client, stored, make_comment, editor):
    comment = make_comment(stored, body="Approved remark.", author_name="Bea Reader")
    replying = client.get(f"{stored.get_absolute_url()}?reply_to={comment.pk}").content.decode()
    assert "Reply to Bea Reader" in replying
    staff = Client()
    staff.force_login(editor)
    assert "csrfmiddlewaretoken" in staff.get(stored.get_absolute_url()).content.decode()
    anyone = Client().get(stored.get_absolute_url()).content.decode()
    assert "Reply to Bea Reader" not in anyone and "csrfmiddlewaretoken" not in anyone
    assert "Approved remark." in anyone


def count_queries(client, url):
    """The page's queries, but the breaking-news banner's: it is kept for a time of its own (curation.py)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("articles_breakingnews" not in query["sql"] for query in queries.captured_queries)


def test_query_counts(client, settings, stored, make_article, make_comment):
    for _ in range(12):
        make_article()
    for _ in range(20):
        make_comment(stored)
    home, story = "/", stored.get_absolute_url()
    settings.FRAGMENT_SECONDS = 0
    without = count_queries(client, home), count_queries(client, story)
    settings.FRAGMENT_SECONDS = 86400
    client.get(home), client.get(story)  # the fragments are stored
    warm = count_queries(client, home), count_queries(client, story)
    assert without == (9, 10)
    # Warm, the home page reads its stories (kept lists by id) with their headlines and addresses and their
    # comment counts, not their bylines and photos; the story page reads its row, and no part of it (bylines,
    # tags, photos, related stories, the thread, the comment rules, the sections' menu).
    assert warm == (4, 1)


class Unreachable:
    def __getattr__(self, name):
        raise ConnectionError("cache down")


def test_rendered_without_the_cache_when_it_is_down(client, stored, monkeypatch):
    monkeypatch.setattr(fragments, "cache", Unreachable())
    monkeypatch.setattr(fragments, "_down_until", 0.0)
    raw_update("UPDATE articles_article SET headline = %s WHERE id = %s", "Bridge closes again", stored.pk)
    assert "Bridge closes again" in client.get("/").content.decode()


def test_a_change_missed_while_the_cache_was_down(
    client, settings, stored, monkeypatch, django_capture_on_commit_callbacks
):
    """A change whose new versions could not be written: once the cache answers, no fragment from before is used."""
    with monkeypatch.context() as down:
        down.setattr(invalidation, "cache", Unreachable())
        with django_capture_on_commit_callbacks(execute=True):
            stored.headline = "Bridge closes again"
            stored.save()
    assert "Bridge closes again" in page(client, "/", settings)


# The story page is kept as fragments too (its head and the story with its related stories): every field
# it shows, changed, shows at once there.


@pytest.fixture
def story_page(client, stored, make_article, make_tag):
    """The story with a tag and a related story (same section, same tag), its page stored as fragments."""
    tag = make_tag("Bridges")
    stored.tags.add(tag)
    related = make_article(headline="Ferry service ends", section=stored.section, tags=[tag])
    html = client.get(stored.get_absolute_url()).content.decode()
    assert "Ferry service ends" in html and ">Bridges</a>" in html
    reading = invalidation.reading()
    kept = [fragments.stored_as(reading, fragments.key(part, stored.pk)) for part in ("story", "story-meta")]
    assert len(fragments.cache.get_many(kept)) == 2, "the story page's fragments were not stored"
    return stored, related, tag


def test_a_stored_story_is_used(client, story_page):
    story, _, _ = story_page
    raw_update("UPDATE articles_article SET standfirst = %s WHERE id = %s", "Unseen standfirst", story.pk)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Traffic flows again after two years." in html and "Unseen standfirst" not in html


@pytest.mark.parametrize(
    "field,value",
    [
        ("headline", "Bridge closes again"),
        ("standfirst", "Gridlock returns."),
        ("body", "<p>The council voted on Tuesday.</p>"),
        ("meta_description", "What the council decided about the bridge."),
    ],
)
def test_story_page_fields(client, settings, story_page, field, value):
    story, _, _ = story_page
    setattr(story, field, value)
    story.save()
    assert (value if field != "body" else "The council voted on Tuesday.") in page(
        client, story.get_absolute_url(), settings
    )


def test_story_page_author_name(client, settings, story_page):
    story, _, _ = story_page
    author = story.bylines.get().author
    author.name = "Ann Editor"
    author.save()
    html = page(client, story.get_absolute_url(), settings)
    assert "Ann Editor" in html and "Ann Reporter" not in html


def test_story_page_tag_name(client, settings, story_page):
    story, _, tag = story_page
    tag.name = "Crossings"
    tag.save()
    assert ">Crossings</a>" in page(client, story.get_absolute_url(), settings)


def test_story_page_section_name(client, settings, story_page):
    story, _, _ = story_page
    story.section.name = "Metro"
    story.section.save()
    html = page(client, story.get_absolute_url(), settings)
    assert ">Metro</a>" in html and ">City</a>" not in html


def test_story_page_photo_crop_and_caption(client, settings, story_page):
    story, _, _ = story_page
    before = client.get(story.get_absolute_url()).content.decode()
    photo = story.lead_photo
    photo.focal_x, photo.focal_y, photo.caption = 0.1, 0.9, "The bridge at dusk."
    photo.save()
    after = page(client, story.get_absolute_url(), settings)
    assert after != before and "The bridge at dusk." in after


def test_story_page_correction(client, settings, story_page):
    story, _, _ = story_page
    Correction.objects.create(article=story, text="An earlier version misnamed the harbour.")
    assert "misnamed the harbour" in page(client, story.get_absolute_url(), settings)


def test_related_story_edited(client, settings, story_page):
    """The related cards inside the kept story give it their tags: the related story's edit shows."""
    story, related, _ = story_page
    related.headline = "Ferry service returns"
    related.save()
    html = page(client, story.get_absolute_url(), settings)
    assert "Ferry service returns" in html and "Ferry service ends" not in html


def test_related_story_author_name(client, settings, story_page, make_author):
    story, related, _ = story_page
    author = related.bylines.get().author
    author.name = "Cy Columnist"
    author.save()
    assert "Cy Columnist" in page(client, story.get_absolute_url(), settings)


def test_new_story_in_the_section_is_related_at_once(client, settings, story_page, make_article):
    story, _, _ = story_page
    make_article(headline="Harbour dredging starts", section=story.section)
    assert "Harbour dredging starts" in page(client, story.get_absolute_url(), settings)


def test_scheduled_story_becomes_related_on_time(client, settings, story_page, make_article):
    """No change is written when a scheduled story goes live: the kept story lasts no longer than until then."""
    story, _, _ = story_page
    make_article(
        headline="Harbour tunnel opens",
        section=story.section,
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(seconds=2),
    )
    assert "Harbour tunnel opens" not in page(client, story.get_absolute_url(), settings)
    time.sleep(2.5)
    assert "Harbour tunnel opens" in page(client, story.get_absolute_url(), settings)


def test_story_page_comment_count_on_related_cards_home(client, settings, story_page, make_comment):
    """A new comment on the related story shows in its card's count on the home page, and in its own thread."""
    _, related, _ = story_page
    make_comment(related, body="Will miss the ferry.")
    assert "1 comment" in page(client, "/", settings)
    assert "Will miss the ferry." in page(client, related.get_absolute_url(), settings)


def test_menu_section_added(client, settings, stored, make_section):
    make_section("Harbour")
    assert ">Harbour</a>" in page(client, "/", settings)
    assert ">Harbour</a>" in page(client, stored.get_absolute_url(), settings)


def test_story_page_is_not_kept_for_a_preview(client, settings, editor, make_article):
    """A draft's preview (staff only) is rendered each time, and stores no fragment of the story."""
    draft = make_article(headline="Draft headline", status=Article.Status.DRAFT, publish_at=None)
    client.force_login(editor)
    url = draft.get_short_url()
    assert "Draft headline" in client.get(url).content.decode()
    reading = invalidation.reading()
    assert fragments.cache.get(fragments.stored_as(reading, fragments.key("story", draft.pk))) is None
