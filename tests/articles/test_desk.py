"""The desk: each role's front page of the admin, editorial notes, assignment, sending back, the admin's search."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import fts
from articles.models import Article, Correction, EditorialNote
from comments.models import Comment, body_digest

from .test_revisions import change_url, story_form

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:articles_article_changelist")


def panel_titles(html):
    return [part.split("<", 1)[0].strip() for part in html.split('class="desk-panel__title">')[1:]]


@pytest.fixture
def newsroom(make_article, reporter, editor):
    now = timezone.now()
    stories = {
        "draft": make_article(headline="Reporter's own draft", status=Article.Status.DRAFT, created_by=reporter),
        "other_draft": make_article(headline="Someone else's draft", status=Article.Status.DRAFT),
        "review": make_article(headline="Waiting for review", status=Article.Status.IN_REVIEW, assigned_to=editor),
        "scheduled": make_article(
            headline="Goes out tonight", status=Article.Status.SCHEDULED, publish_at=now + datetime.timedelta(hours=5)
        ),
        "published": make_article(headline="Out this morning"),
        "old": make_article(headline="Out last month", publish_at=now - datetime.timedelta(days=30)),
    }
    Correction.objects.create(article=stories["old"], text="The date was wrong.")
    return stories


def comment(article, n, **kwargs):
    body = f"Remark number {n}"
    return Comment.objects.create(
        article=article,
        author_name=f"Reader {n}",
        email=f"r{n}@example.org",
        body=body,
        body_digest=body_digest(body),
        **kwargs,
    )


def test_a_reporter_sees_their_drafts_and_what_was_sent_back(client, reporter, editor, newsroom):
    story = newsroom["review"]
    story.created_by = reporter
    story.save()
    story.send_back("Please check the figures in the third paragraph.", editor)
    client.force_login(reporter)
    html = client.get(INDEX).content.decode()
    assert panel_titles(html) == ["Sent back to you", "Your drafts"]
    assert "Please check the figures in the third paragraph." in html
    assert "Reporter&#x27;s own draft" in html
    assert "Someone else&#x27;s draft" not in html
    assert "Goes out tonight" not in html


def test_an_editor_sees_review_scheduled_published_and_corrections(client, editor, newsroom):
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    titles = panel_titles(html)
    assert titles[2:] == ["In review", "Scheduled", "Recently published", "New corrections"]
    assert "Waiting for review" in html and "assigned to editor" in html
    assert "Goes out tonight" in html and "goes live" in html
    assert "Out this morning" in html
    assert "Out last month" in html and "corrected" in html  # the story is old, its correction new
    assert "Comments awaiting moderation" not in html


def test_a_moderator_sees_pending_and_reported_comments_and_no_story(client, moderator, newsroom):
    story = newsroom["published"]
    for n in range(3):
        comment(story, n)
    comment(story, 9, status=Comment.Status.APPROVED, open_flags=2)
    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert panel_titles(html) == ["Comments awaiting moderation"]
    assert "Pending: <strong>3</strong>" in html
    assert "Reported by readers: <strong>1</strong>" in html
    assert reverse("admin:comments_comment_desk") in html
    assert "?status__exact=pending" in html and "?flagged=open" in html
    assert "Waiting for review" not in html


@pytest.mark.parametrize("user", ["reporter", "editor", "moderator"])
def test_the_desk_takes_the_same_queries_however_much_is_on_it(
    user, request, client, make_article, django_assert_num_queries
):
    user = request.getfixturevalue(user)
    client.force_login(user)

    def fill(n):
        for i in range(n):
            make_article(status=Article.Status.DRAFT, created_by=user)
            make_article(status=Article.Status.IN_REVIEW)
            make_article(status=Article.Status.SCHEDULED, publish_at=timezone.now() + datetime.timedelta(hours=i + 1))
            story = make_article()
            Correction.objects.create(article=story, text=f"Correction {i}")
            comment(story, i)

    fill(1)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    fill(12)
    with django_assert_num_queries(len(few)):
        assert client.get(INDEX).status_code == 200


def test_notes_are_written_on_the_change_form_and_shown_there(client, editor, newsroom):
    story = newsroom["review"]
    client.force_login(editor)
    response = client.post(change_url(story), story_form(story, new_note="Legal has read it: <fine>."))
    assert response.status_code == 302
    note = EditorialNote.objects.get(article=story)
    assert (note.author, note.kind, note.text) == (editor, EditorialNote.Kind.NOTE, "Legal has read it: <fine>.")
    html = client.get(change_url(story)).content.decode()
    assert "Legal has read it: &lt;fine&gt;." in html


def test_notes_never_reach_readers_feeds_search_or_exports(client, newsroom, editor, tmp_path):
    story = newsroom["published"]
    EditorialNote.objects.create(article=story, author=editor, text="Secretnotetext about a source")
    for url in [
        story.get_absolute_url(),
        reverse("articles:home"),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Secretnotetext" not in response.content, url
    results = client.get(reverse("articles:search"), {"q": "Secretnotetext"}).context["page_obj"]
    assert results.object_list == []
    call_command("export_archive", str(tmp_path / "archive"), verbosity=0)
    for path in (tmp_path / "archive").rglob("*"):
        if path.is_file():
            assert b"Secretnotetext" not in path.read_bytes(), path


def test_moderators_see_no_editorial_notes(client, moderator, newsroom, editor):
    story = newsroom["review"]
    EditorialNote.objects.create(article=story, author=editor, text="Internal remark")
    client.force_login(moderator)
    assert client.get(change_url(story)).status_code == 403
    assert b"Internal remark" not in client.get(INDEX).content
    assert not moderator.has_perm("articles.view_editorialnote")


def test_an_editor_sends_a_story_back_with_a_note(client, editor, reporter, newsroom):
    story = newsroom["review"]
    story.created_by = reporter
    story.save()
    client.force_login(editor)
    selected = {"action": "send_back", "_selected_action": [story.pk]}
    page = client.post(CHANGELIST, selected)
    assert page.status_code == 200 and b"Note to the reporter" in page.content
    refused = client.post(CHANGELIST, selected | {"note": "   "})
    assert b"This field is required." in refused.content
    response = client.post(CHANGELIST, selected | {"note": "Needs a second source."}, follow=True)
    assert b"Sent 1 story back to its reporter." in response.content
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.assigned_to == reporter
    note = story.notes.get()
    assert (note.kind, note.author, note.text) == (EditorialNote.Kind.SENT_BACK, editor, "Needs a second source.")
    assert story.notes.model.objects.sent_back_to(reporter).get() == note
    # From the story's own page too.
    assert client.get(reverse("admin:articles_article_send_back", args=[story.pk])).status_code == 200


def test_reporters_cannot_send_back(client, reporter, newsroom):
    story = newsroom["review"]
    client.force_login(reporter)
    assert client.get(reverse("admin:articles_article_send_back", args=[story.pk])).status_code == 403
    client.post(CHANGELIST, {"action": "send_back", "_selected_action": [story.pk], "note": "x"})
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_a_story_is_assigned_to_a_newsroom_member(client, editor, reporter, moderator, newsroom):
    story = newsroom["review"]
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert f'<option value="{reporter.pk}">reporter</option>' in html
    assert f'<option value="{moderator.pk}">' not in html  # moderators write no stories
    assert client.post(change_url(story), story_form(story, assigned_to=reporter.pk)).status_code == 302
    story.refresh_from_db()
    assert story.assigned_to == reporter


def test_a_new_story_remembers_who_started_it(client, reporter, section, make_author):
    from .test_admin import article_form

    client.force_login(reporter)
    assert client.post(reverse("admin:articles_article_add"), article_form(section, make_author())).status_code == 302
    assert Article.objects.get(slug="council-approves-new-budget").created_by == reporter


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("budget", ["Council passes budget"]),  # headline
        ("reservoir", ["Water story"]),  # standfirst
        ("hydrologists", ["Water story"]),  # body
        ("warning hydrologist", ["Water story"]),  # stemmed, as the reader's search: "warn", "Hydrologists"
        ("Zadie Quill", ["Water story"]),  # byline
    ],
)
def test_admin_search_finds_headline_standfirst_body_and_byline_words(
    query, found, client, editor, make_article, make_author
):
    make_article(headline="Council passes budget")
    make_article(
        headline="Water story",
        standfirst="The reservoir is low.",
        body="<p>Hydrologists warn of a dry summer.</p>",
        authors=[make_author("Zadie Quill")],
    )
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"q": query})
    assert [story.headline for story in response.context["cl"].result_list] == found
    if connection.vendor == "postgresql":
        assert any("search_vector" in q["sql"] and "websearch_to_tsquery" in q["sql"] for q in queries)
    else:
        assert any(f"{fts.TABLE} MATCH" in q["sql"] for q in queries)
        assert not any('"articles_article"."body" LIKE' in q["sql"] for q in queries)


def test_notes_and_changes_show_in_the_history_json_never(newsroom, editor):
    """A revision records the story, not its notes: notes are not story text to restore."""
    story = newsroom["draft"]
    EditorialNote.objects.create(article=story, author=editor, text="Not part of the story")
    story.save()
    from articles.revisions import versions_of

    data = json.loads(versions_of(story)[0].serialized_data)
    assert "Not part of the story" not in json.dumps(data)
