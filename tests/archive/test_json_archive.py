import filecmp
import json
from datetime import timedelta

import pytest
import reversion
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError
from django.utils import timezone
from reversion.models import Revision, Version

from archive.jsonarchive import MODELS, NOT_ARCHIVED
from archive.models import Redirect
from articles.curation import BreakingNews, FrontPage, Placement
from articles.live import LiveUpdate
from articles.models import AlsoRead, Article, BodyPhoto, Correction
from comments.models import Ban, BannedWord, Comment, Commenter, CommentSettings, Flag, OutboundEmail, StoryModeration
from photos.models import Photo

pytestmark = pytest.mark.django_db


def empty_site():
    """Every row the archive holds removed (flush cannot TRUNCATE inside a PostgreSQL test transaction)."""
    for label in reversed(MODELS):
        model = apps.get_model(label)
        for field in model._meta.many_to_many:
            field.remote_field.through._base_manager.all()._raw_delete("default")
        model._base_manager.all()._raw_delete("default")
    User.objects.all().delete()


def same_tree(left, right):
    comparison = filecmp.dircmp(left, right)
    assert not comparison.left_only and not comparison.right_only and not comparison.funny_files
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    assert not mismatch and not errors, mismatch
    for sub in comparison.common_dirs:
        same_tree(left / sub, right / sub)


@pytest.fixture
def archive_site(run_import, sample, media_dir, moderator):
    """A site with a bit of everything the archive holds."""
    run_import("import_wordpress", sample, media_dir=media_dir)
    first, second = Article.objects.filter(status="published").order_by("pk")[:2]
    AlsoRead.objects.create(article=first, target=second, after_paragraph=2)
    Correction.objects.create(article=first, text="An earlier version misspelt the mayor’s name.")
    Article.objects.get(pk=first.pk).save()  # a real save: modified_at moves on, a revision is recorded
    with reversion.create_revision():
        reversion.set_user(moderator)
        reversion.set_comment("Tightened the standfirst")
        story = Article.objects.get(pk=second.pk)
        story.standfirst = "Shorter."
        story.save()
    Comment.objects.filter(status="pending").moderate(Comment.Status.APPROVED, moderator, "fine")
    Flag.objects.create(comment=Comment.objects.first(), reason=Flag.Reason.SPAM, ip_hash="ab" * 32)
    CommentSettings(close_after_days=30).save()
    Commenter.objects.create(email="ann@example.org", trust=Commenter.Trust.TRUSTED, note="Regular")
    BannedWord.objects.create(word="pills", action=BannedWord.Action.SPAM)
    Redirect.objects.create(old_path="/old-contest/", kind=Redirect.Kind.GONE, hits=3, last_hit=timezone.now())
    StoryModeration.objects.create(article=second, mode=StoryModeration.Mode.CLOSED, changed_by=moderator)
    Ban.objects.create(email="troll@example.org", reason="Abuse", created_by=moderator)
    OutboundEmail.objects.create(
        to="ann@example.org", subject="Your comment", body="Approved.", unsubscribe_url="https://x.example/u/1"
    )
    home = FrontPage.objects.create(section=None)
    Placement.objects.create(front_page=home, article=first, position=1)
    BreakingNews.objects.create(text="Polls close at eight", expires_at=timezone.now() + timedelta(hours=2))
    LiveUpdate.objects.create(article=first, headline="Turnout", body="<p>Turnout is up.</p>", pinned=True)


def test_every_model_of_the_archive_apps_is_exported():
    """A model added to an app must be added to the archive format too (or the round trip loses it).

    Unmanaged models hold no data of their own (SQLite's search index is kept by triggers from the stories).
    """
    labels = {
        model._meta.label
        for app in ("photos", "articles", "comments", "archive")
        for model in apps.get_app_config(app).get_models()
        if model._meta.managed
    }
    assert labels - set(MODELS) == set(NOT_ARCHIVED)


def test_export_import_export_gives_identical_archives(run_import, archive_site, tmp_path, settings):
    first = tmp_path / "first"
    run_import("export_archive", first)
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["counts"]["articles.Article"] == 5 and manifest["counts"]["comments.Comment"] == 3
    assert manifest["counts"]["articles.BodyPhoto"] == BodyPhoto.objects.count() > 0
    assert list((first / "files/private/originals").rglob("ballot.jpg"))
    assert manifest["counts"]["reversion.Revision"] == 2
    for label in ("articles.FrontPage", "articles.Placement", "articles.BreakingNews", "articles.LiveUpdate"):
        assert manifest["counts"][label] == 1, label
    assert manifest["counts"]["reversion.Version"] == Version.objects.count() > 2
    empty_site()
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "new-media", tmp_path / "new-private"
    report, _ = run_import("import_archive", first)
    assert "articles.Article: 5 created" in report
    assert Photo.objects.get().image.storage.exists(Photo.objects.get().image.name)
    assert "reversion.Version: " in report and "failed" not in report
    second = tmp_path / "second"
    run_import("export_archive", second)
    same_tree(first, second)
    report, _ = run_import("import_archive", first)
    assert "created" not in report and "articles.Article: 5 unchanged" in report
    assert Article.objects.count() == 5


def test_new_rows_after_an_import_get_fresh_ids(run_import, archive_site, tmp_path, make_article):
    run_import("export_archive", tmp_path / "a")
    empty_site()
    run_import("import_archive", tmp_path / "a")
    newest = max(Article.objects.values_list("pk", flat=True))
    assert make_article().pk > newest


def test_an_archive_is_imported_only_into_an_empty_site(run_import, archive_site, tmp_path):
    run_import("export_archive", tmp_path / "a")
    with pytest.raises(CommandError, match="already holds"):
        run_import("import_archive", tmp_path / "a")


def test_a_directory_that_is_not_an_archive_is_refused(run_import, tmp_path):
    with pytest.raises(CommandError, match="no manifest.json"):
        run_import("import_archive", tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": "something else"}')
    with pytest.raises(CommandError, match="not describe a Newsdesk archive"):
        run_import("import_archive", tmp_path)


def test_a_malformed_row_is_reported_and_the_rest_imports(run_import, archive_site, tmp_path):
    run_import("export_archive", tmp_path / "a")
    tags = tmp_path / "a/data/articles.tag.jsonl"
    tags.write_text(tags.read_text() + "{not json\n" + '{"id": 999, "name": "Odd", "slug": "odd"}\n')
    empty_site()
    report, _ = run_import("import_archive", tmp_path / "a")
    assert "failed: articles.Tag line 3: not a valid row" in report
    assert "articles.Tag: 3 created" in report and Article.objects.count() == 5


def test_dry_run_stores_nothing(run_import, archive_site, tmp_path):
    run_import("export_archive", tmp_path / "a")
    empty_site()
    report, _ = run_import("import_archive", tmp_path / "a", dry_run=True)
    assert "Dry run" in report and "articles.Article: 5 created" in report
    assert not Article.objects.exists()


def test_revisions_name_their_content_types_and_users(run_import, archive_site, moderator, tmp_path):
    """Content type ids differ between databases: the archive names them, and accounts by username."""
    run_import("export_archive", tmp_path / "a")
    versions = [json.loads(line) for line in (tmp_path / "a/data/reversion.version.jsonl").read_text().splitlines()]
    assert "articles.article" in {row["content_type"] for row in versions}
    revisions = [json.loads(line) for line in (tmp_path / "a/data/reversion.revision.jsonl").read_text().splitlines()]
    assert [row["user"] for row in revisions] == [None, moderator.username]
    empty_site()
    run_import("import_archive", tmp_path / "a")
    revision = Revision.objects.get(comment="Tightened the standfirst")
    assert revision.user.username == moderator.username
    story = revision.version_set.get(content_type__model="article")
    assert story.object.standfirst == "Shorter." and story.field_dict["standfirst"] == "Shorter."


def test_a_version_of_an_unknown_content_type_is_reported(run_import, archive_site, tmp_path):
    run_import("export_archive", tmp_path / "a")
    path = tmp_path / "a/data/reversion.version.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[0]["content_type"] = "gone.model"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    empty_site()
    report, _ = run_import("import_archive", tmp_path / "a")
    assert f"failed: reversion.Version {rows[0]['id']}: this site has no content type gone.model" in report
    assert Version.objects.count() == len(rows) - 1


def test_an_archive_without_revisions_still_imports(run_import, archive_site, tmp_path):
    """Archives exported before revisions were archived lack their tables."""
    run_import("export_archive", tmp_path / "a")
    for name in ("reversion.revision.jsonl", "reversion.version.jsonl"):
        (tmp_path / "a/data" / name).unlink()
    empty_site()
    report, _ = run_import("import_archive", tmp_path / "a")
    assert "articles.Article: 5 created" in report and not Revision.objects.exists()
