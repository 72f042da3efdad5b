"""Revisions of stories and photos: what a save records, the history page, comparing and restoring."""

import datetime
import json

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import revisions
from articles.models import AlsoRead, Article, Byline, Correction, EditConflict, Tag
from photos.models import Photo
from staff.models import AuditEntry

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def story_form(article, **overrides):
    """The change form as a browser posts it for ``article`` as stored now, with ``overrides``."""
    article.refresh_from_db()
    bylines = list(article.bylines.all())
    links = list(article.also_read_links.all())
    corrections = list(article.corrections.all())
    publish = timezone.localtime(article.publish_at) if article.publish_at else None
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "section": article.section_id,
        "body": article.body,
        "lead_photo": article.lead_photo_id or "",
        "tags": [tag.pk for tag in article.tags.all()],
        "status": article.status,
        "publish_at_0": publish.strftime("%Y-%m-%d") if publish else "",
        "publish_at_1": publish.strftime("%H:%M:%S") if publish else "",
        "comments_open": "on",
        "withdrawal_note": article.withdrawal_note,
        "version": article.version,
        "assigned_to": article.assigned_to_id or "",
        "bylines-TOTAL_FORMS": len(bylines),
        "bylines-INITIAL_FORMS": len(bylines),
        "also_read_links-TOTAL_FORMS": len(links),
        "also_read_links-INITIAL_FORMS": len(links),
        "body_photos-TOTAL_FORMS": 0,
        "body_photos-INITIAL_FORMS": 0,
        "corrections-TOTAL_FORMS": len(corrections),
        "corrections-INITIAL_FORMS": len(corrections),
    }
    for i, byline in enumerate(bylines):
        data |= {f"bylines-{i}-id": byline.pk, f"bylines-{i}-author": byline.author_id, f"bylines-{i}-order": i}
    for i, link in enumerate(links):
        data |= {
            f"also_read_links-{i}-id": link.pk,
            f"also_read_links-{i}-target": link.target_id,
            f"also_read_links-{i}-after_paragraph": link.after_paragraph,
            f"also_read_links-{i}-order": link.order,
        }
    for i, correction in enumerate(corrections):
        created = timezone.localtime(correction.created_at)
        data |= {
            f"corrections-{i}-id": correction.pk,
            f"corrections-{i}-kind": correction.kind,
            f"corrections-{i}-text": correction.text,
            f"corrections-{i}-created_at_0": created.strftime("%Y-%m-%d"),
            f"corrections-{i}-created_at_1": created.strftime("%H:%M:%S"),
        }
    data.update(overrides)
    return data


def add_byline(data, author):
    n = data["bylines-TOTAL_FORMS"]
    data |= {"bylines-TOTAL_FORMS": n + 1, f"bylines-{n}-author": author.pk, f"bylines-{n}-order": n}
    return data


def save(client, article, **overrides):
    response = client.post(change_url(article), story_form(article, **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article.refresh_from_db()
    return response


def versions(article):
    return list(revisions.versions_of(article))


def latest_state(article):
    version = versions(article)[0]
    return revisions.snapshots([version.revision], article.pk)[version.revision_id]


@pytest.fixture
def story(make_article, make_author, make_tag):
    article = make_article(
        headline="Council approves budget",
        body="<p>The council voted on Monday.</p><p>The vote was close.</p>",
        authors=[make_author("Ann Writer")],
        tags=[make_tag("Budget")],
    )
    article.save()  # a revision with the byline and tags added after the story was created
    return article


def test_an_admin_save_records_one_revision_with_bylines_tags_links_and_corrections(
    client, editor, story, make_article, make_author
):
    client.force_login(editor)
    other = make_article(headline="Earlier budget story")
    before = len(versions(story))
    data = add_byline(story_form(story, headline="Council passes budget"), make_author("Bob Second"))
    data |= {
        "also_read_links-TOTAL_FORMS": 1,
        "also_read_links-0-target": other.pk,
        "also_read_links-0-after_paragraph": 1,
        "also_read_links-0-order": 0,
        "corrections-TOTAL_FORMS": 1,
        "corrections-0-kind": "correction",
        "corrections-0-text": "An earlier version misnamed the mayor.",
        "corrections-0-created_at_0": "2026-01-02",
        "corrections-0-created_at_1": "10:00:00",
        "new_tags": "Town hall",
    }
    assert client.post(change_url(story), data).status_code == 302

    recorded = versions(story)
    assert len(recorded) == before + 1
    assert recorded[0].revision.user == editor
    assert "Changed" in recorded[0].revision.get_comment()
    state = latest_state(story)
    names = revisions.Names([state])
    words = state.words(names)
    assert words["headline"] == "Council passes budget"
    assert words["bylines"] == "Ann Writer\nBob Second"
    assert words["tags"] == "Budget, Town hall"
    assert "Earlier budget story (after paragraph 1)" in words["also_read"]
    assert "misnamed the mayor" in words["corrections"]
    # One revision holds the story and all that follows it.
    kinds = {v.content_type.model_class() for v in recorded[0].revision.version_set.all()}
    assert {Article, Byline, AlsoRead, Correction} <= kinds


def test_publish_schedule_and_withdraw_record_revisions_saying_so(make_article):
    story = make_article(status=Article.Status.DRAFT)
    story.schedule(timezone.now() + datetime.timedelta(hours=2))
    story.publish()
    story.withdraw()
    comments = [version.revision.get_comment() for version in versions(story)]
    assert comments[:3] == ["Withdrawn", "Published", "Scheduled"]
    assert latest_state(story).fields["status"] == "withdrawn"
    # JSON keeps milliseconds.
    millisecond = story.publish_at.microsecond // 1000 * 1000
    assert latest_state(story).fields["publish_at"] == story.publish_at.replace(microsecond=millisecond)


def test_photo_caption_credit_and_alt_text_have_revisions(client, editor, make_photo):
    photo = make_photo(caption="Old caption", credit="AFP")
    editor.user_permissions.add(*editor.groups.first().permissions.all())
    client.force_login(editor)
    response = client.post(
        reverse("admin:photos_photo_change", args=[photo.pk]),
        {"alt_text": "A rocket", "caption": "New caption", "credit": "REUTERS", "focal_x": "0.5", "focal_y": "0.5"},
    )
    assert response.status_code == 302
    recorded = Version.objects.get_for_object(photo)
    assert recorded[0].field_dict == {"caption": "New caption", "credit": "REUTERS", "alt_text": "A rocket"}
    assert recorded[0].revision.user == editor


@pytest.mark.parametrize("earlier_saves", [1, 20])
def test_the_queries_of_a_save_do_not_grow_with_the_revisions(earlier_saves, make_article, django_assert_num_queries):
    story = make_article(tags=[Tag.objects.create(name="One", slug="one")])
    for n in range(earlier_saves - 1):
        story.headline = f"Headline {n}"
        story.save()
    assert len(versions(story)) == earlier_saves
    story.headline = "The last headline"
    # The update, the slug-redirect check, the revision: story, tags, bylines, links, photos, corrections
    # read once each, existence checks per kind, the revision and its versions written in one go.
    with django_assert_num_queries(13):
        story.save()


def test_history_page_lists_who_changed_what_in_constant_queries(client, editor, story, django_assert_num_queries):
    client.force_login(editor)
    save(client, story, headline="Council passes budget")
    save(client, story, body="<p>The city council voted on Monday.</p><p>The vote was close.</p>")
    html = client.get(history_url(story)).content.decode()
    assert html.count('href="/admin/articles/article/') >= 3
    assert "editor" in html
    assert "Headline" in html and "Body" in html
    with django_assert_num_queries(13):
        client.get(history_url(story))
    for n in range(10):
        story.headline = f"Headline {n}"
        story.save()
    with django_assert_num_queries(13):
        response = client.get(history_url(story))
    assert response.status_code == 200


def test_compare_shows_word_level_differences_escaped(client, editor, story):
    client.force_login(editor)
    first = versions(story)[0]
    save(
        client,
        story,
        headline="Council <script>alert(1)</script> budget",
        body="<p>The city council voted on Tuesday.</p><p>The vote was close.</p>",
    )
    html = client.get(revision_url(story, first)).content.decode()
    assert "<del> Monday.</del>" in html
    assert "<ins> city</ins>" in html and "<ins> Tuesday.</ins>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # What the revision itself changed, against the one before it.
    latest = versions(story)[0]
    html = client.get(revision_url(story, latest) + "?against=previous").content.decode()
    assert "<del> Monday.</del>" in html


def test_restore_brings_back_the_text_as_a_new_revision_and_keeps_the_current_one(client, editor, story, make_author):
    client.force_login(editor)
    original = versions(story)[0]
    save(client, story, headline="Council passes budget", body="<p>Rewritten.</p>")
    story.refresh_from_db()
    count = len(versions(story))

    response = client.post(restore_url(story, original), {"version": story.version}, follow=True)
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Council approves budget"
    assert story.body == "<p>The council voted on Monday.</p><p>The vote was close.</p>"
    assert story.status == Article.Status.PUBLISHED  # a restore never unpublishes
    recorded = versions(story)
    assert len(recorded) == count + 1
    assert recorded[0].revision.get_comment().startswith("Restored the revision of")
    assert recorded[0].revision.user == editor
    assert recorded[1].field_dict["headline"] == "Council passes budget"  # the replaced text is still there
    assert "Restored the revision of" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert (entry.user, entry.object_id) == (editor, str(story.pk))


def test_restore_rebuilds_bylines_and_links(client, editor, story, make_author, make_article):
    client.force_login(editor)
    original = versions(story)[0]
    target = make_article(headline="Linked story")
    data = add_byline(story_form(story), make_author("Bob Second"))
    data |= {"bylines-0-DELETE": "on", "also_read_links-TOTAL_FORMS": 1, "also_read_links-0-target": target.pk}
    data |= {"also_read_links-0-after_paragraph": 1, "also_read_links-0-order": 0}
    assert client.post(change_url(story), data).status_code == 302
    assert [a.name for a in story.byline_authors] == ["Bob Second"]

    client.post(restore_url(story, original), {"version": Article.objects.get(pk=story.pk).version})
    story = Article.objects.get(pk=story.pk)
    assert [a.name for a in story.byline_authors] == ["Ann Writer"]
    assert not story.also_read_links.exists()


def tamper(version, body):
    data = json.loads(version.serialized_data)
    data[0]["fields"]["body"] = body
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))


def test_a_restore_goes_through_the_form_and_cleans_the_body(client, editor, story):
    client.force_login(editor)
    version = versions(story)[0]
    tamper(version, '<p onclick="steal()">Old <span style="color:red">text</span></p>')
    save(client, story, body="<p>New text.</p>")
    client.post(restore_url(story, version), {"version": story.version})
    story.refresh_from_db()
    assert story.body == "<p>Old text</p>"


def test_a_restore_the_form_refuses_keeps_the_story_and_says_why(client, editor, story):
    client.force_login(editor)
    version = versions(story)[0]
    tamper(version, "<p>Old text<script>alert(1)</script></p>")
    save(client, story, body="<p>New text.</p>")
    response = client.post(restore_url(story, version), {"version": story.version})
    assert response.status_code == 200
    assert "The body contains a script" in response.content.decode()
    story.refresh_from_db()
    assert story.body == "<p>New text.</p>"


def test_a_restore_refused_by_the_form_says_why_and_changes_nothing(client, editor, story, make_photo):
    client.force_login(editor)
    photo = make_photo()
    save(client, story, lead_photo=photo.pk)
    with_photo = versions(story)[0]
    save(client, story, lead_photo="", headline="Now without the photo")
    Photo.objects.filter(pk=photo.pk).delete()
    Tag.objects.filter(name="Budget").delete()

    response = client.post(restore_url(story, with_photo), {"version": story.version})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Parts of this revision no longer exist" in html
    assert "Lead photo: photo #" in html and "Tags: tag #" in html
    assert "Select a valid choice" in html
    story.refresh_from_db()
    assert story.headline == "Now without the photo"


def test_reporters_cannot_restore_a_revision_of_a_live_story(client, reporter, story):
    client.force_login(reporter)
    first = versions(story)[0]
    story.headline = "Changed by the desk"
    story.save()
    html = client.get(revision_url(story, first)).content.decode()
    assert "Restore this revision" not in html
    response = client.post(restore_url(story, first), {"version": story.version}, follow=True)
    assert "Only an editor can restore" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Changed by the desk"


def test_reporters_restore_revisions_of_their_drafts(client, reporter, make_article):
    draft = make_article(headline="First draft", status=Article.Status.DRAFT)
    first = versions(draft)[0]
    draft.headline = "Second draft"
    draft.save()
    client.force_login(reporter)
    client.post(restore_url(draft, first), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.headline == "First draft"


def test_moderators_see_no_history(client, moderator, story):
    client.force_login(moderator)
    assert client.get(history_url(story)).status_code == 403
    assert client.get(revision_url(story, versions(story)[0])).status_code == 403


def test_a_stale_restore_is_refused_as_an_edit_conflict(client, editor, story):
    client.force_login(editor)
    first = versions(story)[0]
    loaded = story.version
    story.headline = "Saved meanwhile"
    story.save()
    response = client.post(restore_url(story, first), {"version": loaded})
    assert response.status_code == 200
    assert "Someone else saved this story" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Saved meanwhile"


def test_unknown_revision_or_story_is_a_404(client, editor, story, make_article):
    client.force_login(editor)
    elsewhere = versions(make_article())[0]
    assert client.get(revision_url(story, elsewhere)).status_code == 404
    assert client.post(restore_url(story, elsewhere)).status_code == 404


def test_a_story_saved_outside_any_revision_context_still_gets_one(make_article):
    story = make_article()
    assert not reversion.is_active()
    with pytest.raises(EditConflict):
        stale = Article.objects.get(pk=story.pk)
        story.save()
        stale.save()
    assert len(versions(story)) == 2


def test_the_history_pages_its_revisions(client, editor, story, monkeypatch):
    from articles import workflow_admin

    monkeypatch.setattr(workflow_admin, "HISTORY_PER_PAGE", 2)
    for n in range(3):
        story.headline = f"Headline {n}"
        story.save()
    client.force_login(editor)
    first = client.get(history_url(story)).content.decode()
    table = first[first.index("revision-list") :]
    rows = table[: table.index("</table>")]
    assert rows.count("<tr>") == 3  # the header and two revisions
    assert "Page 1 of 3" in first and "?p=2" in first
    last = client.get(history_url(story), {"p": 3}).content.decode()
    assert "First recorded version" in last
    assert client.get(history_url(story), {"p": "junk"}).status_code == 200


def test_the_queries_of_an_admin_save_do_not_grow_with_the_revisions(client, editor, story):
    client.force_login(editor)
    save(client, story, headline="Second")
    with CaptureQueriesContext(connection) as young:
        save(client, story, headline="Third")
    for n in range(20):
        story.headline = f"Headline {n}"
        story.save()
    with CaptureQueriesContext(connection) as old:
        save(client, story, headline="Twenty-third")
    assert len(old) == len(young)
