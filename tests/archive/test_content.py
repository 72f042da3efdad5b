import pytest
from django.test import Client

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


def body(content, photos=None):
    return to_body(content, photos).html


def test_blank_lines_make_paragraphs_and_single_breaks_stay_breaks():
    assert body("One\nline two\n\nThree") == "<p>One<br>\nline two</p>\n<p>Three</p>"


def test_existing_block_markup_is_not_wrapped_again():
    assert body("<h2>Head</h2>\n\nText\n\n<ul><li>a</li></ul>") == "<h2>Head</h2>\n<p>Text</p>\n<ul><li>a</li></ul>"


def test_caption_shortcode_of_an_imported_photo_places_it_after_the_paragraph_before(photos):
    converted = to_body(
        "First.\n\nSecond.\n\n"
        '[caption id="attachment_20" width="640"]<a href="x"><img class="wp-image-20" '
        'src="https://old.example/wp-content/uploads/2020/06/ballot-640x480.jpg" alt=""></a> The boxes.[/caption]'
        "\n\nThird.",
        photos,
    )
    assert converted == ("<p>First.</p>\n<p>Second.</p>\n<p>Third.</p>", [(2, 1)])


def test_caption_shortcode_of_an_unknown_image_stays_a_figure():
    converted = body('[caption id="attachment_5"]<img src="https://cdn.example/x.jpg" alt="X"> Boxes.[/caption]')
    assert converted == '<figure><img src="https://cdn.example/x.jpg" alt="X"><figcaption>Boxes.</figcaption></figure>'


def test_body_images_inside_text_are_found_by_their_file_in_any_size(photos):
    converted = body(
        '<p>See <img src="http://old.example/wp-content/uploads/2020/06/hall-150x150.jpg" alt="Hall"></p>', photos
    )
    assert converted == '<p>See <img src="/media/hall.jpg" alt="Hall"></p>'


def test_an_unknown_image_is_kept_as_it_was():
    assert (
        body('<p><img src="https://cdn.example/x.jpg" alt="X"></p>')
        == '<p><img src="https://cdn.example/x.jpg" alt="X"></p>'
    )


def test_gallery_shortcode_becomes_a_gallery_of_the_photos_it_knows(photos):
    converted = to_body('Intro.\n\n[gallery ids="21, 20,99"]\n\nMore.', photos)
    assert converted == ("<p>Intro.</p>\n<p>More.</p>", [(1, 2), (1, 1)])


def test_block_editor_gallery_and_image_blocks_become_body_photos(photos):
    converted = to_body(
        "<!-- wp:paragraph -->\n<p>Intro.</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery">'
        '<!-- wp:image {"id":20} -->\n<figure class="wp-block-image"><img src="x" class="wp-image-20"/></figure>\n'
        "<!-- /wp:image -->\n"
        '<!-- wp:image {"id":21} -->\n<figure class="wp-block-image"><img src="y" class="wp-image-21"/></figure>\n'
        "<!-- /wp:image --></figure>\n<!-- /wp:gallery -->\n\n"
        "<!-- wp:paragraph -->\n<p>Middle.</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:image {"id":21} -->\n<figure class="wp-block-image"><img src="y" class="wp-image-21"/>'
        "<figcaption>Again</figcaption></figure>\n<!-- /wp:image -->\n\n"
        '<!-- wp:image {"id":7} -->\n<figure class="wp-block-image"><img src="https://cdn.example/z.jpg" alt="Z"/>'
        "</figure>\n<!-- /wp:image -->",
        photos,
    )
    assert converted.photos == [(1, 1), (1, 2)]
    assert converted.html == (
        '<p>Intro.</p>\n<p>Middle.</p>\n<figure><img src="https://cdn.example/z.jpg" alt="Z"></figure>'
    )


def test_embeds_and_bare_oembed_urls_of_known_providers_become_embeds():
    converted = body(
        "Look:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=1\n\n[embed]https://vimeo.com/76979871[/embed]"
        "\n\nhttps://unknown.example/video/1"
    )
    assert converted == (
        "<p>Look:</p>\n"
        '<figure data-embed="youtube" data-id="dQw4w9WgXcQ" data-url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=1">'
        "</figure>\n"
        '<figure data-embed="vimeo" data-id="76979871" data-url="https://vimeo.com/76979871"></figure>\n'
        '<p><a href="https://unknown.example/video/1">https://unknown.example/video/1</a></p>'
    )


def test_block_editor_embeds_become_embeds():
    converted = body(
        '<!-- wp:embed {"url":"https://vimeo.com/76979871","providerNameSlug":"vimeo"} -->\n'
        '<figure class="wp-block-embed is-provider-vimeo"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/76979871\n</div></figure>\n<!-- /wp:embed -->"
    )
    assert converted == '<figure data-embed="vimeo" data-id="76979871" data-url="https://vimeo.com/76979871"></figure>'


def test_a_url_inside_a_sentence_stays_text():
    assert body("See https://example.org for more") == "<p>See https://example.org for more</p>"


def test_gutenberg_blocks_lose_their_comments_and_keep_their_markup():
    converted = body(
        "<!-- wp:heading -->\n<h2>Vote</h2>\n<!-- /wp:heading -->\n\n"
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>Said.</p></blockquote>\n<!-- /wp:quote -->'
    )
    assert converted == "<h2>Vote</h2>\n<blockquote><p>Said.</p></blockquote>"


def test_the_sanitizer_has_the_last_word():
    converted = body(
        'Hello<script>alert(1)</script>\n\n<iframe src="https://evil.example"></iframe><p onclick="x()">Hi</p>'
    )
    assert converted == "<p>Hello</p>\n<p>Hi</p>"


def test_attachments_become_photos_with_caption_alt_and_credit(run_import, sample, media_dir):
    report, _ = run_import("import_wordpress", sample, media_dir=media_dir)
    photo = Photo.objects.get()
    assert photo.caption == "Ballot boxes are unloaded at the town hall."
    assert photo.alt_text == "Two officials carry a grey ballot box"
    assert photo.credit == "Gazette/Staff"
    assert photo.original and photo.renditions.exists()
    story = Article.objects.get(slug="ballot-boxes-arrive")
    assert story.lead_photo == photo
    assert list(story.body_photos.values_list("photo", "after_paragraph")) == [(photo.pk, 1)]
    assert "wp-image" not in story.body and "ballot-640x480" not in story.body
    assert "wp-content/uploads" not in story.body
    assert "skipped: photos 21: “2020/06/brochure.pdf” is not an image" in report
    page = Client().get(story.get_absolute_url()).content.decode().split("<main", 1)[1]  # not the structured data
    assert page.count("story__inline-photo") == 1 and page.count("Ballot boxes are unloaded at the town hall.") == 2


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
