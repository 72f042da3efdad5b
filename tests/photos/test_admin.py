"""The photo library in the admin: uploads with clear refusals, thumbnails, usage, safe deletion."""

import os
import re

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from photos import imaging
from photos.models import Photo, Rendition
from tests.photos.images import BLUE, RED, encode, halves, png_header, upload

ADD_URL = reverse("admin:photos_photo_add")
CHANGELIST_URL = reverse("admin:photos_photo_changelist")


@pytest.fixture
def editor_client(client, editor, media):
    client.force_login(editor)
    return client


def post_photo(client, data, name="photo.jpg", url=ADD_URL, **fields):
    form = {"alt_text": "Firefighters at a warehouse", "caption": "", "credit": "AFP", "focal_x": "0.5"}
    form |= {"focal_y": "0.5", **fields}
    # The rendition job the upload enqueues runs once the save commits (at once: the tests' immediate backend).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {**form, "image": upload(data, name)})


def field_errors(response):
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))


@pytest.mark.django_db
class TestUpload:
    def test_good_photo_is_saved_and_rendered(self, editor_client):
        response = post_photo(editor_client, encode(halves((800, 450))))
        assert response.status_code == 302
        photo = Photo.objects.get()
        assert (photo.width, photo.height) == (800, 450)
        assert photo.renditions.filter(kind="card").count() == 4

    def test_text_file_named_jpg(self, editor_client):
        response = post_photo(editor_client, b"This is not a photo at all.\n" * 50)
        assert response.status_code == 200
        assert "This file is not an image" in field_errors(response)
        assert not Photo.objects.exists()

    def test_png_bomb(self, editor_client):
        response = post_photo(editor_client, png_header(20000, 20000), "bomb.png")
        assert response.status_code == 200
        assert "far more pixels than the limit" in field_errors(response)

    def test_too_many_pixels(self, editor_client):
        response = post_photo(editor_client, png_header(9000, 6000), "huge.png")
        assert response.status_code == 200
        assert "9000 × 6000 pixels" in field_errors(response)

    def test_truncated_file(self, editor_client):
        data = encode(halves((600, 400)))
        response = post_photo(editor_client, data[: len(data) // 3])
        assert response.status_code == 200
        assert "damaged or incomplete" in field_errors(response)

    def test_file_over_the_default_20_mb(self, editor_client):
        response = post_photo(editor_client, b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024))
        assert response.status_code == 200
        assert "a photo may be at most 20.0" in field_errors(response)
        assert not Photo.objects.exists()

    def test_photo_bigger_than_the_in_memory_upload_limit_is_accepted(self, editor_client, settings):
        """Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE stream to disk; only the photo limit applies."""
        data = encode(Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3)), "PNG")
        assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        response = post_photo(editor_client, data, "noise.png")
        assert response.status_code == 302
        assert Photo.objects.get().width == 1500

    def test_bad_replacement_keeps_the_stored_photo(self, editor_client, make_photo):
        photo = make_photo()
        stored = photo.image.name
        url = reverse("admin:photos_photo_change", args=[photo.pk])
        response = post_photo(editor_client, b"garbage", url=url)
        assert response.status_code == 200
        assert "not an image" in field_errors(response)
        photo.refresh_from_db()
        assert photo.image.name == stored
        assert photo.image.storage.exists(stored)

    def test_focal_point_left_empty_means_the_centre(self, editor_client):
        response = post_photo(editor_client, encode(halves((80, 60))), focal_x="0.2", focal_y="")
        assert response.status_code == 302
        assert (Photo.objects.values_list("focal_x", "focal_y").get()) == (0.2, 0.5)

    def test_focal_point_out_of_range(self, editor_client):
        response = post_photo(editor_client, encode(halves((80, 60))), focal_x="1.5")
        assert response.status_code == 200
        assert "less than or equal to 1" in field_errors(response)


def change_url(photo):
    return reverse("admin:photos_photo_change", args=[photo.pk])


def files_under(root):
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def all_files(media):
    return files_under(media / "media") | {f"private:{name}" for name in files_under(media / "private-media")}


def rendition_rows(photo):
    return set(Rendition.objects.filter(photo=photo).values_list("kind", "format", "width", "height", "file"))


@pytest.mark.django_db
class TestEditing:
    """Saves of a stored photo through its change form, where the admin's queryset prefetches only
    the square JPEG renditions for the list's thumbnails."""

    FORM = {"alt_text": "Firefighters", "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"}

    def test_focal_point_change_rebuilds_every_crop(self, editor_client, make_photo, media):
        photo = make_photo(data=encode(halves((1400, 700))), focal_x=0.0)
        before = rendition_rows(photo)
        response = editor_client.post(change_url(photo), {**self.FORM, "focal_x": "1", "focal_y": "0.5"})
        assert response.status_code == 302
        assert editor_client.get(response.url).status_code == 200  # later: the save has committed
        after = rendition_rows(photo)
        assert len(after) == len(before)
        assert {row for row in after if row[0] == "full"} == {row for row in before if row[0] == "full"}
        cropped_before = {row[4] for row in before if row[0] != "full"}
        assert not cropped_before & {row[4] for row in after}
        assert not any(default_storage.exists(name) for name in cropped_before)
        square = Rendition.objects.get(photo=photo, kind="square", format="webp", width=640)
        with square.file.open("rb") as file:
            assert Image.open(file).convert("RGB").getpixel((320, 320))[2] > 150  # the blue half
        assert files_under(media / "media") == {photo.image.name, *(row[4] for row in after)}

    def test_replacing_the_file_with_a_smaller_picture(self, editor_client, make_photo, media):
        photo = make_photo(data=encode(halves((2000, 1000))))
        old_files = all_files(media)
        response = post_photo(editor_client, encode(halves((500, 250), BLUE, RED)), "small.jpg", url=change_url(photo))
        assert response.status_code == 302
        assert editor_client.get(response.url).status_code == 200  # later: the save has committed
        photo.refresh_from_db()
        assert (photo.width, photo.height) == (500, 250)
        rows = rendition_rows(photo)
        assert {(kind, fmt, width) for kind, fmt, width, _, _ in rows} == {
            (kind, fmt, width)
            for kind, width in [("full", 320), ("card", 320), ("4x3", 320), ("square", 250)]
            for fmt in ("jpeg", "webp")
        }
        full = Rendition.objects.get(photo=photo, kind="full", format="jpeg", width=320)
        with full.file.open("rb") as file:
            assert Image.open(file).getpixel((10, 10))[2] > 150  # the new picture: blue on the left
        now = all_files(media)
        assert not old_files & now
        assert now == {photo.image.name, f"private:{photo.original.name}", *(row[4] for row in rows)}

    def test_failed_save_leaves_no_stray_file(self, make_photo, media, monkeypatch):
        photo = make_photo(data=encode(halves((1400, 700))))
        stored = files_under(media / "media")
        rows = rendition_rows(photo)
        real_encode, calls = imaging.encode, []

        def failing_on_the_fifth(image, fmt, *args):
            calls.append(fmt)
            if len(calls) == 5:
                raise OSError("disk full")
            return real_encode(image, fmt, *args)

        monkeypatch.setattr(imaging, "encode", failing_on_the_fifth)
        photo.focal_x = 0.9
        with pytest.raises(OSError, match="disk full"):
            photo.save()
        assert files_under(media / "media") == stored
        assert rendition_rows(photo) == rows

    def test_one_by_sixty_thousand_jpeg_is_refused(self, editor_client):
        response = post_photo(editor_client, encode(Image.new("RGB", (1, 60000), RED)), "strip.jpg")
        assert response.status_code == 200
        assert "1 × 60000 pixels: a strip too narrow to show" in field_errors(response)
        assert not Photo.objects.exists()

    def test_picture_taller_than_webp_allows_gets_renditions_that_fit(self, editor_client):
        response = post_photo(editor_client, encode(halves((1000, 18000)), "PNG"), "infographic.png")
        assert response.status_code == 302
        photo = Photo.objects.get()
        assert (photo.width, photo.height) == (1000, 18000)
        full = set(photo.renditions.filter(kind="full").values_list("format", "width", "height"))
        assert full == {(fmt, w, h) for fmt in ("jpeg", "webp") for w, h in [(320, 5760), (640, 11520)]}
        assert max(photo.renditions.values_list("height", flat=True)) <= imaging.MAX_RENDITION_SIDE

    def test_wide_panorama_gets_renditions(self, editor_client):
        response = post_photo(editor_client, encode(halves((18000, 1000)), "PNG"), "panorama.png")
        assert response.status_code == 302
        widths = set(Photo.objects.get().renditions.filter(kind="full").values_list("width", flat=True))
        assert widths == {320, 640, 960, 1280, 1920}


@pytest.mark.django_db
class TestLibrary:
    def test_changelist_thumbnails_usage_and_search(self, editor_client, make_photo, make_article, make_author):
        used = make_photo(credit="REUTERS", caption="Rocket launch")
        make_article(lead_photo=used)
        make_article(lead_photo=used)
        make_author(photo=used)
        make_photo(credit="AFP", caption="Flood in the valley")
        html = editor_client.get(CHANGELIST_URL).content.decode()
        assert re.search(rf'<img src="/media/photos/renditions/{used.pk}/square-\d+-\w+\.jpg"', html)
        assert "2 stories</a>, 1 author" in html
        assert f"?lead_photo__exact={used.pk}" in html
        found = editor_client.get(CHANGELIST_URL, {"q": "afp"}).content.decode()
        assert "Flood in the valley" in found and "Rocket launch" not in found

    def test_used_in_link_lists_the_stories(self, editor_client, make_photo, make_article):
        photo = make_photo()
        make_article(headline="Rocket story", lead_photo=photo)
        make_article(headline="Other story")
        response = editor_client.get(reverse("admin:articles_article_changelist"), {"lead_photo__exact": photo.pk})
        html = response.content.decode()
        assert "Rocket story" in html and "Other story" not in html

    def test_changelist_queries_do_not_grow(self, editor_client, make_photo, make_article):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(CHANGELIST_URL).status_code == 200
            return len(queries)

        make_article(lead_photo=make_photo())
        few = count()
        for _ in range(8):
            make_article(lead_photo=make_photo())
        assert count() == few

    def test_change_page_lists_stories_and_authors(self, editor_client, make_photo, make_article, make_author):
        photo = make_photo()
        story = make_article(headline="Launch day", lead_photo=photo)
        author = make_author(name="Jane Doe", photo=photo)
        html = editor_client.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
        assert f'<a href="{reverse("admin:articles_article_change", args=[story.pk])}">Launch day</a>' in html
        assert f'<a href="{reverse("admin:articles_author_change", args=[author.pk])}">Jane Doe</a>' in html
        assert '<circle class="focal-point__mark" cx="50.0%" cy="50.0%" r="9"></circle>' in html
        assert " style=" not in html.split('class="focal-point"')[1].split("</span>")[0]
        assert 'name="focal_x"' in html and 'step="0.001"' in html


@pytest.mark.django_db
class TestDeletion:
    def test_delete_view_refuses_a_photo_in_use(self, editor_client, make_photo, make_article):
        photo = make_photo(caption="Rocket launch")
        make_article(lead_photo=photo)
        response = editor_client.get(reverse("admin:photos_photo_delete", args=[photo.pk]), follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("admin:photos_photo_change", args=[photo.pk])
        html = response.content.decode()
        assert "Nothing was deleted: 1 photo is in use: “Rocket launch” (1 story)" in html
        assert Photo.objects.filter(pk=photo.pk).exists()

    def test_delete_view_confirms_an_unused_photo(self, editor_client, make_photo, django_capture_on_commit_callbacks):
        photo = make_photo()
        url = reverse("admin:photos_photo_delete", args=[photo.pk])
        assert "Are you sure" in editor_client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert editor_client.post(url, {"post": "yes"}).status_code == 302
        assert not Photo.objects.exists()
        assert not photo.image.storage.exists(photo.image.name)

    def test_bulk_delete_refuses_when_any_is_in_use(self, editor_client, make_photo, make_article, make_author):
        used, portrait, free = make_photo(caption="Used"), make_photo(caption="Portrait"), make_photo(caption="Free")
        make_article(lead_photo=used)
        make_author(photo=portrait)
        response = editor_client.post(
            CHANGELIST_URL,
            {"action": "delete_selected", "_selected_action": [used.pk, portrait.pk, free.pk], "post": "yes"},
            follow=True,
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nothing was deleted: 2 photos are in use" in html
        assert "“Used” (1 story)" in html and "“Portrait” (1 author portrait)" in html
        assert Photo.objects.count() == 3

    def test_bulk_delete_of_unused_photos(self, editor_client, make_photo):
        photos = [make_photo(), make_photo()]
        data = {"action": "delete_selected", "_selected_action": [photo.pk for photo in photos]}
        assert "Are you sure" in editor_client.post(CHANGELIST_URL, data).content.decode()
        assert editor_client.post(CHANGELIST_URL, {**data, "post": "yes"}).status_code == 302
        assert not Photo.objects.exists()
