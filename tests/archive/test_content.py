import pytest

from archive.convert import PhotoIndex, to_body
from articles.models import Article
from photos.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos():
    index = PhotoIndex()
    index.add(
        "20", "https://old.example/wp-content/uploads/2020/06/ballot.jpg", "/media/ballot.jpg", "A box", "Boxes", 1
    )
    index.add("21", "https://old.example/wp-content/uploads/2020/06/hall.jpg", "/media/hall.jpg", "The hall", "", 2)
    return index


def test_blank_lines_make_paragraphs_and_single_breaks_stay_breaks():
    assert to_body("One\nline two\n\nThree") == "<p>One<br>\nline two</p>\n<p>Three</p>"


def test_existing_block_markup_is_not_wrapped_again():
    assert to_body("<h2>Head</h2>\n\nText\n\n<ul><li>a</li></ul>") == "<h2>Head</h2>\n<p>Text</p>\n<ul><li>a</li></ul>"


def test_caption_shortcode_becomes_a_figure_with_the_imported_photo(photos):
    body = to_body(
        '[caption id="attachment_20" width="640"]<a href="x"><img class="wp-image-20" '
        'src="https://old.example/wp-content/uploads/2020/06/ballot-640x480.jpg" alt=""></a> The boxes.[/caption]',
        photos,
    )
    assert body == '<figure><img src="/media/ballot.jpg" alt="A box"><figcaption>The boxes.</figcaption></figure>'


def test_body_images_are_found_by_their_file_in_any_size(photos):
    body = to_body(
        '<p><img src="http://old.example/wp-content/uploads/2020/06/hall-150x150.jpg" alt="Hall"></p>', photos
    )
    assert body == '<p><img src="/media/hall.jpg" alt="Hall"></p>'


def test_an_unknown_image_is_kept_as_it_was():
    assert (
        to_body('<p><img src="https://cdn.example/x.jpg" alt="X"></p>')
        == '<p><img src="https://cdn.example/x.jpg" alt="X"></p>'
    )


def test_gallery_shortcode_becomes_figures_of_the_photos_it_knows(photos):
    body = to_body('[gallery ids="20, 21,99"]', photos)
    assert body == (
        '<figure><img src="/media/ballot.jpg" alt="A box"><figcaption>Boxes</figcaption></figure>\n'
        '<figure><img src="/media/hall.jpg" alt="The hall"></figure>'
    )


def test_embeds_and_bare_oembed_urls_become_links():
    body = to_body("Look:\n\nhttps://www.youtube.com/watch?v=abc&amp;t=1\n\n[embed]https://vimeo.com/1[/embed]")
    assert body == (
        "<p>Look:</p>\n"
        '<p><a href="https://www.youtube.com/watch?v=abc&amp;t=1">https://www.youtube.com/watch?v=abc&amp;t=1</a></p>\n'
        '<p><a href="https://vimeo.com/1">https://vimeo.com/1</a></p>'
    )


def test_a_url_inside_a_sentence_stays_text():
    assert to_body("See https://example.org for more") == "<p>See https://example.org for more</p>"


def test_gutenberg_blocks_lose_their_comments_and_keep_their_markup():
    body = to_body(
        "<!-- wp:heading -->\n<h2>Vote</h2>\n<!-- /wp:heading -->\n\n"
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>Said.</p></blockquote>\n<!-- /wp:quote -->'
    )
    assert body == "<h2>Vote</h2>\n<blockquote><p>Said.</p></blockquote>"


def test_the_sanitizer_has_the_last_word():
    body = to_body(
        'Hello<script>alert(1)</script>\n\n<iframe src="https://evil.example"></iframe><p onclick="x()">Hi</p>'
    )
    assert body == "<p>Hello</p>\n<p>Hi</p>"


def test_attachments_become_photos_with_caption_alt_and_credit(run_import, sample, media_dir):
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    photo = Photo.objects.get()
    assert photo.caption == "Ballot boxes are unloaded at the town hall."
    assert photo.alt_text == "Two officials carry a grey ballot box"
    assert photo.credit == "Gazette/Staff"
    assert photo.original and photo.renditions.exists()
    story = Article.objects.get(slug="ballot-boxes-arrive")
    assert story.lead_photo == photo
    assert f'<img src="{photo.image.url}" alt="Two officials carry a grey ballot box">' in story.body
    assert "wp-content/uploads" not in story.body
    assert "skipped: photos 21: “2020/06/brochure.pdf” is not an image" in report


def test_a_missing_or_escaping_file_is_reported_and_the_rest_imports(run_import, sample, media_dir, tmp_path):
    (media_dir / "2020/06/ballot.jpg").unlink()
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    assert "failed: photos 20: file “2020/06/ballot.jpg” not found in the media directory" in report
    assert Article.objects.get(slug="ballot-boxes-arrive").lead_photo is None
    escaping = tmp_path / "escaping.xml"
    (tmp_path / "secret.jpg").write_bytes(b"not for you")
    escaping.write_text(
        sample.read_text(encoding="utf-8").replace("[2020/06/ballot.jpg]", "[../secret.jpg]"), encoding="utf-8"
    )
    report, _ = run_import("import_wordpress", escaping, media_dir=media_dir)
    assert "failed: photos 20: file “../secret.jpg” not found in the media directory" in report


def test_a_file_that_is_not_an_image_fails_alone(run_import, sample, media_dir):
    (media_dir / "2020/06/ballot.jpg").write_bytes(b"GIF89a but not really")
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    assert "failed: photos 20: “2020/06/ballot.jpg” could not be read as a photo" in report
    assert Article.objects.count() == 5 and not Photo.objects.exists()


def test_without_a_media_dir_photos_are_skipped_with_the_reason(run_import, sample):
    report, _ = run_import("import_wordpress", sample)
    assert "skipped: photos 20: no --media-dir given to take the file from" in report
