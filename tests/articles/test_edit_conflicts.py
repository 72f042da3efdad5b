"""Two people editing one story: the later save is refused, says what changed, and keeps the editor's text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Correction, EditConflict

from .test_revisions import add_byline, change_url, story_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_article, make_author):
    article = make_article(headline="Council approves budget", authors=[make_author("Ann Writer")])
    article.save()
    return article


@pytest.fixture
def second_editor(make_user):
    return make_user("Editor", username="second")


def test_every_save_raises_the_version_in_one_conditional_update(story):
    before = story.version
    with CaptureQueriesContext(connection) as queries:
        story.save()
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "articles_article" in q["sql"]]
    assert len(updates) == 1
    assert f'"articles_article"."version" = {before}' in updates[0]
    story.refresh_from_db()
    assert story.version == before + 1


def test_a_stale_copy_cannot_be_saved_over_a_newer_one(story):
    stale = Article.objects.get(pk=story.pk)
    story.headline = "First save"
    story.save()
    stale.headline = "Second save"
    with pytest.raises(EditConflict):
        stale.save()
    assert stale.version == story.version - 1  # unchanged by the refusal
    assert Article.objects.get(pk=story.pk).headline == "First save"


def test_saving_some_fields_still_takes_the_lock(story):
    stale = Article.objects.get(pk=story.pk)
    story.save(update_fields=["headline"])
    with pytest.raises(EditConflict):
        stale.save(update_fields=["standfirst"])


def test_the_second_save_is_refused_and_shows_what_the_first_changed(client, editor, second_editor, story):
    client.force_login(editor)
    theirs = story_form(story)  # the second editor opens the story now...
    assert client.post(change_url(story), story_form(story, headline="Council passes budget")).status_code == 302

    client.force_login(second_editor)
    theirs |= {"headline": "Budget approved after long night", "standfirst": "My own standfirst."}
    response = client.post(change_url(story), theirs)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this story while you were editing it" in html
    assert "Saved by someone else while you were editing" in html
    assert "editor at" in html  # who saved
    assert "<del> approves</del>" in html and "<ins> passes</ins>" in html  # what they changed
    # The second editor's own text is in the form, unsaved.
    assert 'value="Budget approved after long night"' in html
    assert "My own standfirst." in html
    story.refresh_from_db()
    assert story.headline == "Council passes budget"

    # Having seen the difference, saving again keeps the second editor's text on purpose.
    form = response.context["adminform"].form
    theirs["version"] = form.data["version"]
    assert client.post(change_url(story), theirs).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Budget approved after long night"


def test_nothing_in_the_inlines_is_overwritten_either(client, editor, second_editor, story, make_author):
    client.force_login(editor)
    stale = story_form(story)
    mine = add_byline(story_form(story), make_author("Bob Second"))
    mine |= {
        "corrections-TOTAL_FORMS": 1,
        "corrections-0-kind": "correction",
        "corrections-0-text": "The mayor's name was misspelt.",
        "corrections-0-created_at_0": "2026-01-02",
        "corrections-0-created_at_1": "10:00:00",
    }
    assert client.post(change_url(story), mine).status_code == 302

    client.force_login(second_editor)
    third = make_author("Cy Third")
    stale = add_byline(stale, third)
    stale["bylines-0-DELETE"] = "on"
    response = client.post(change_url(story), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this story" in html
    assert "Bob Second</ins>" in html  # their byline change, word by word
    assert "mayor" in html  # their correction
    story = Article.objects.get(pk=story.pk)
    assert [author.name for author in story.byline_authors] == ["Ann Writer", "Bob Second"]
    assert Correction.objects.filter(article=story).count() == 1
    # The second editor's byline choice is still in the form.
    bylines = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "bylines")
    assert bylines.formset.data["bylines-1-author"] == str(third.pk)
    assert bylines.formset.data["bylines-0-DELETE"] == "on"


def test_a_save_that_loses_the_race_after_its_checks_is_shown_as_a_conflict(client, editor, story, monkeypatch):
    """The form was checked against a copy loaded just before someone else's save: the UPDATE's lock catches it."""
    from articles.admin import ArticleAdmin

    client.force_login(editor)
    data = story_form(story, headline="Mine")
    loaded_before_their_save = Article.objects.get(pk=story.pk)
    story.headline = "Theirs"
    story.save()
    real_get_object = ArticleAdmin.get_object
    copies = [loaded_before_their_save]

    def get_object(self, request, object_id, from_field=None):
        return copies.pop() if copies else real_get_object(self, request, object_id, from_field)

    monkeypatch.setattr(ArticleAdmin, "get_object", get_object)
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert "Someone else saved this story" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Theirs"


def test_closing_comments_from_the_queue_is_not_undone_by_an_open_story_form(client, editor, story, make_user):
    from comments.models import Comment, body_digest

    comment = Comment.objects.create(
        article=story, author_name="Reader", email="r@example.org", body="Hi", body_digest=body_digest("Hi")
    )
    client.force_login(editor)
    open_form = story_form(story)  # comments open
    client.force_login(make_user("Moderator"))
    client.post("/admin/comments/comment/", {"action": "close_comments", "_selected_action": [comment.pk], "index": 0})
    story.refresh_from_db()
    assert not story.comments_open
    client.force_login(editor)
    response = client.post(change_url(story), open_form)
    assert response.status_code == 200
    assert "Comments open" in response.content.decode()
    story.refresh_from_db()
    assert not story.comments_open
