import datetime

import pytest
from django.core.management import CommandError
from reversion.models import Version

from archive.models import ImportedItem, Redirect
from archive.wordpress import WordPressImporter
from articles.models import Article, Author, Section, Tag
from comments.abuse import keyed_hash
from comments.models import Comment
from photos.models import Photo

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def story(slug):
    return Article.objects.get(slug=slug)


def test_posts_become_stories_with_their_status_dates_and_people(run_import, sample, media_dir):
    report, progress = run_import("import_wordpress", sample, media_dir=media_dir)
    published = story("ballot-boxes-arrive")
    assert published.headline == "Ballot boxes arrive for Sunday’s vote"
    assert published.status == Article.Status.PUBLISHED
    assert published.publish_at == datetime.datetime(2020, 6, 1, 8, 30, tzinfo=UTC)
    assert published.featured and published.comments_open
    assert published.standfirst == "Officials unload the boxes."
    assert [author.name for author in published.byline_authors] == ["Jane Doe"]
    assert published.section.slug == "politics"
    assert sorted(published.tags.values_list("slug", flat=True)) == ["elections", "local"]
    assert story("draft-about-the-budget").status == Article.Status.DRAFT
    assert story("draft-about-the-budget").publish_at is None
    assert story("draft-about-the-budget").section.slug == "news"
    assert story("waiting-for-the-editor").status == Article.Status.IN_REVIEW
    scheduled = story("results-night")
    assert scheduled.status == Article.Status.SCHEDULED
    assert scheduled.publish_at == datetime.datetime(2099, 1, 1, 19, 0, tzinfo=UTC)
    assert Author.objects.get(slug="sami").name == "سامي الحسيني"
    assert not Article.objects.filter(headline__in=["Private memo", "Binned", "About us", "Broken date"]).exists()
    assert "stories: 5 created, 2 skipped, 1 failed" in report
    assert "skipped: stories 15: status “private” is not imported" in report
    assert "skipped: stories 16: status “trash” is not imported" in report
    assert "skipped: other 17: a “page”, not a post" in report
    assert "failed: stories 18: the date “yesterday at noon” is not a WordPress date" in report
    assert "11/11 100%" in progress and "ETA" in progress and "/s" in progress


def test_comments_keep_threading_dates_status_and_only_a_hash_of_the_address(run_import, sample, media_dir):
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    comments = {comment.author_name: comment for comment in Comment.objects.all()}
    assert set(comments) == {"Ann Reader", "Bob", "Cheap pills"}
    ann, bob, spam = comments["Ann Reader"], comments["Bob"], comments["Cheap pills"]
    assert ann.status == Comment.Status.APPROVED and bob.status == Comment.Status.PENDING
    assert spam.status == Comment.Status.SPAM
    assert bob.parent == ann and ann.parent is None
    assert ann.created == datetime.datetime(2020, 6, 1, 10, 0, tzinfo=UTC)
    assert ann.email == "ann@example.org"
    assert ann.body == "At last. x 🗳️"
    assert ann.ip_hash == keyed_hash("203.0.113.7") and bob.ip_hash == keyed_hash("2001:db8::1")
    assert not Comment.objects.filter(ip_hash__contains="203.0").exists()
    assert "skipped: comments 10:103: status “trash”" in report
    assert "skipped: comments 10:104: a pingback" in report


def test_every_old_address_redirects_to_the_new_story(run_import, sample, media_dir):
    run_import("import_wordpress", sample, media_dir=media_dir)
    published = story("ballot-boxes-arrive")
    paths = set(Redirect.objects.filter(article=published).values_list("old_path", flat=True))
    assert paths == {
        "/2020/06/01/ballot-boxes-arrive/",
        "/?p=10",
        "/2020/06/01/ballot-boxes-arrive/attachment/ballot/",
        "/?attachment_id=20",
    }
    assert Redirect.objects.filter(old_path="/2020/06/02/مجلس/", article__headline__startswith="مجلس").exists()


def test_text_survives_exactly_four_byte_characters_rtl_cdata_and_backslashes(run_import, sample, media_dir):
    run_import("import_wordpress", sample, media_dir=media_dir)
    rtl = Article.objects.get(headline="مجلس البلدية يجتمع 🏛️")
    assert "𝒜 and 🏛️ and a CDATA end ]]&gt; kept, with \\n and \\\\ as typed." in rtl.body
    assert "C:\\Users\\gazette\\ and a/b/c stay as written." in story("ballot-boxes-arrive").body
    assert not rtl.comments_open


def test_categories_map_to_sections_on_request(run_import, sample, media_dir):
    run_import("import_wordpress", sample, media_dir=media_dir, section_map=["politics=world"])
    assert story("ballot-boxes-arrive").section.slug == "world"
    assert Section.objects.filter(slug="world").exists()


def test_a_bad_section_map_is_refused(run_import, sample):
    with pytest.raises(CommandError, match="CATEGORY=SECTION"):
        run_import("import_wordpress", sample, section_map=["politics"])


def test_running_twice_stores_nothing_twice_and_a_changed_post_is_updated(run_import, sample, media_dir, tmp_path):
    run_import("import_wordpress", sample, media_dir=media_dir)
    counts = (Article.objects.count(), Comment.objects.count(), Photo.objects.count(), Redirect.objects.count())
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    assert "stories: 5 unchanged" in report and "created" not in report.split("skipped:")[0]
    assert counts == (Article.objects.count(), Comment.objects.count(), Photo.objects.count(), Redirect.objects.count())
    changed = tmp_path / "changed.xml"
    changed.write_text(
        sample.read_text(encoding="utf-8")
        .replace("Results night", "Results night, live")
        .replace("Replying to Ann: agreed.", "Replying to Ann: agreed, mostly."),
        encoding="utf-8",
    )
    report, _ = run_import("import_wordpress", changed, media_dir=media_dir)
    assert "stories: 2 updated, 3 unchanged" in report
    assert "comments: 1 updated, 2 unchanged" in report
    assert story("results-night").headline == "Results night, live"
    # The imported text is kept as a revision: the story's history holds both.
    headlines = [v.field_dict["headline"] for v in Version.objects.get_for_object(story("results-night"))]
    assert headlines[0] == "Results night, live" and "Results night" in headlines[1:]
    assert Comment.objects.get(author_name="Bob").body == "Replying to Ann: agreed, mostly."
    assert counts == (Article.objects.count(), Comment.objects.count(), Photo.objects.count(), Redirect.objects.count())


def test_an_interrupted_import_resumes_where_it_stopped(sample, media_dir, monkeypatch):
    importer = WordPressImporter(sample, media_dir=media_dir)
    importer.batch_size = 2
    stored = WordPressImporter.store_batch

    def interrupted(self, batch):
        stored(self, batch)
        raise KeyboardInterrupt

    monkeypatch.setattr(WordPressImporter, "store_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        importer.run()
    assert Article.objects.count() == 2
    monkeypatch.undo()
    report = WordPressImporter(sample, media_dir=media_dir).run()
    assert report.counts["stories"]["unchanged"] == 2 and report.counts["stories"]["created"] == 3
    assert Article.objects.count() == 5 and Comment.objects.count() == 3


def test_a_post_the_database_refuses_fails_alone_and_its_batch_is_stored(run_import, sample, media_dir, tmp_path):
    """Post 10 holds one comment id twice (its reply exported under the same id): the batch falls back to row by row."""
    broken = tmp_path / "duplicate-comment.xml"
    text = sample.read_text(encoding="utf-8")
    assert text.count("<wp:comment_id>101</wp:comment_id>") == 1
    broken.write_text(text.replace("<wp:comment_id>101</wp:comment_id>", "<wp:comment_id>100</wp:comment_id>"))
    report, _ = run_import("import_wordpress", broken, media_dir=media_dir)
    assert "stories: 4 created, 2 skipped, 2 failed" in report
    failure = next(line for line in report.splitlines() if "failed: stories 10:" in line)
    assert "cannot be stored" in failure
    assert "imported_item_once" in failure or "archive_importeditem.source_id" in failure  # PostgreSQL, SQLite
    assert not Article.objects.filter(slug="ballot-boxes-arrive").exists()
    assert Article.objects.count() == 4 and ImportedItem.objects.filter(kind="story").count() == 4
    assert not Comment.objects.exists()  # all three were post 10's
    fixed, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    assert "stories: 1 created, 4 unchanged" in fixed and story("ballot-boxes-arrive").comments.count() == 3


def test_attachments_beyond_those_kept_in_memory_are_read_again(sample, media_dir, monkeypatch):
    monkeypatch.setattr(WordPressImporter, "kept_attachments", 0)
    importer = WordPressImporter(sample, media_dir=media_dir)
    assert importer.attachments is None
    report = importer.run()
    assert report.counts["photos"]["created"] == 1 and Photo.objects.count() == 1
    assert story("ballot-boxes-arrive").lead_photo == Photo.objects.get()


def test_comment_text_with_tabs_newlines_and_backslashes_is_stored_exactly(run_import, sample, media_dir, tmp_path):
    """PostgreSQL stores comments with COPY, whose text format gives these characters a meaning."""
    text = "Replying to Ann:\n\tagreed \\N, C:\\temp\\new \\\\ done.\r\nBye"
    changed = tmp_path / "escapes.xml"
    changed.write_text(sample.read_text(encoding="utf-8").replace("Replying to Ann: agreed.", text), encoding="utf-8")
    run_import("import_wordpress", changed, media_dir=media_dir)
    bob = Comment.objects.get(author_name="Bob")
    assert bob.body == text.replace("\r\n", "\n")  # XML reads line ends as \n
    assert bob.parent == Comment.objects.get(author_name="Ann Reader") and bob.email == "bob@example.org"
    assert not bob.notify and bob.open_flags == 0 and bob.moderated_by is None


def test_dry_run_reports_and_stores_nothing(run_import, sample, media_dir):
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir, dry_run=True)
    assert report.startswith("Dry run: nothing was stored.")
    assert "stories: 5 created" in report and "comments: 3 created" in report and "photos: 1 created" in report
    assert not Article.objects.exists() and not Comment.objects.exists() and not Photo.objects.exists()
    assert not Redirect.objects.exists() and not ImportedItem.objects.exists() and not Section.objects.exists()


def test_versions_1_0_and_1_1_are_read(run_import, sample, tmp_path):
    for version in ("1.0", "1.1"):
        older = tmp_path / f"wxr-{version}.xml"
        text = sample.read_text(encoding="utf-8").replace("export/1.2/", f"export/{version}/")
        text = text.replace("<wp:wxr_version>1.2<", f"<wp:wxr_version>{version}<")
        if version == "1.0":
            text = text.replace('domain="post_tag" nicename="elections"', 'domain="tag"')
        older.write_text(text, encoding="utf-8")
        run_import("import_wordpress", older)
    assert Article.objects.count() == 5
    assert Tag.objects.filter(slug="elections").exists()


MALFORMED = {
    "not-xml.xml": ("This is plain text, not an export.", "not well-formed XML"),
    "truncated.xml": (None, "not well-formed XML"),
    "feed.xml": (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        "no <wp:wxr_version>",
    ),
    "html.xml": ("<html><body>Hello</body></html>", "not <rss>"),
    "future.xml": (None, "WXR version 9.9 is not supported"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_broken_file_is_refused_before_anything_is_written(run_import, sample, tmp_path, name):
    text, message = MALFORMED[name]
    full = sample.read_text(encoding="utf-8")
    if name == "truncated.xml":
        text = full[: full.index("Draft about the budget")]
    if name == "future.xml":
        text = full.replace("<wp:wxr_version>1.2<", "<wp:wxr_version>9.9<")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as refused:
        run_import("import_wordpress", path)
    assert "Nothing was imported." in str(refused.value)
    assert not Article.objects.exists() and not Section.objects.exists() and not Author.objects.exists()


def test_a_missing_file_is_refused(run_import, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run_import("import_wordpress", tmp_path / "nowhere.xml")
