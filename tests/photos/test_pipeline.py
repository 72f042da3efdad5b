"""What happens to a photo on upload: checks, orientation, stripping, the private original, renditions."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import ProtectedError
from PIL import Image

from photos.models import Photo, Rendition
from tests.photos.images import BLUE, RED, XMP, camera_exif, encode, halves, png_header, upload


def opened(field_file):
    with field_file.open("rb"):
        data = field_file.read()
    return data, Image.open(io.BytesIO(data))


def near(pixel, color):
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], color, strict=True))


def check(data, name="photo.jpg"):
    photo = Photo(image=upload(data, name), alt_text="Something")
    photo.full_clean()


def error_of(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as caught:
        check(data, name)
    return " ".join(caught.value.message_dict["image"])


@pytest.mark.django_db
class TestValidation:
    @pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
    def test_accepts_the_four_formats(self, media, fmt):
        check(encode(halves((40, 30)), fmt), f"photo.{fmt.lower()}")

    def test_text_file_named_jpg(self, media):
        assert "not an image" in error_of(b"Just some text pretending to be a photo.\n" * 20)

    @pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
    def test_other_image_formats_refused_by_content(self, media, fmt):
        assert f"{fmt} images are not accepted" in error_of(encode(halves((40, 30)), fmt), "photo.jpg")

    def test_truncated_jpeg(self, media):
        data = encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG")
        assert "damaged or incomplete" in error_of(data[: len(data) // 2])

    def test_png_bomb(self, media):
        assert "far more pixels than the limit of 50 megapixels" in error_of(png_header(20000, 20000), "bomb.png")

    def test_over_the_pixel_limit(self, media):
        assert "10000 × 6000 pixels; the limit is 50 megapixels" in error_of(png_header(10000, 6000), "big.png")

    def test_pixel_limit_comes_from_settings(self, media, settings):
        settings.PHOTO_MAX_PIXELS = 1000
        assert "40 × 30 pixels" in error_of(encode(halves((40, 30))))

    def test_file_size_limit_comes_from_settings(self, media, settings):
        settings.PHOTO_MAX_UPLOAD_BYTES = 100
        assert "a photo may be at most 100" in error_of(encode(halves((40, 30))))

    def test_stored_photo_not_checked_again_on_edit(self, make_photo, settings):
        photo = make_photo()
        settings.PHOTO_MAX_UPLOAD_BYTES = 1
        photo.caption = "New caption"
        photo.full_clean()


@pytest.mark.django_db
class TestServedImage:
    def test_exif_orientation_applied(self, make_photo):
        # Orientation 6: the camera was turned; the stored left half belongs at the top.
        photo = make_photo(data=encode(halves((60, 40)), "JPEG", exif=camera_exif(orientation=6)))
        _, served = opened(photo.image)
        assert served.size == (40, 60) == (photo.width, photo.height)
        assert near(served.getpixel((20, 5)), RED)
        assert near(served.getpixel((20, 55)), BLUE)

    def test_metadata_stripped_from_every_served_file(self, make_photo):
        data = encode(halves((300, 200)), "JPEG", exif=camera_exif(), xmp=XMP, comment=b"shot at home")
        photo = make_photo(data=data)
        files = [photo.image] + [rendition.file for rendition in photo.renditions.all()]
        assert len(files) > 1
        for file in files:
            content, image = opened(file)
            assert not image.getexif(), file.name
            assert not image.getexif().get_ifd(0x8825), file.name
            for secret in (b"Exif", b"PhoneMaker", b"xmpmeta", b"GPS", b"shot at home"):
                assert secret not in content, (file.name, secret)

    def test_original_kept_privately_as_uploaded(self, make_photo, media):
        data = encode(halves((60, 40)), "JPEG", exif=camera_exif(orientation=6))
        photo = make_photo(data=data)
        original = Path(photo.original.path)
        assert original.read_bytes() == data
        assert original.is_relative_to(media / "private-media")
        assert not original.is_relative_to(media / "media")
        assert Path(photo.image.path).is_relative_to(media / "media")
        with pytest.raises(ValueError):
            photo.original.storage.url(photo.original.name)

    def test_png_with_transparency_stays_png(self, make_photo):
        image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
        photo = make_photo(data=encode(image, "PNG"), name="logo.png")
        _, served = opened(photo.image)
        assert served.format == "PNG" and served.mode == "RGBA"
        jpeg = photo.renditions.get(kind="full", format="jpeg")
        _, flat = opened(jpeg.file)
        assert flat.mode == "RGB" and near(flat.getpixel((5, 5)), (255, 255, 255))

    def test_animated_gif_becomes_a_still(self, make_photo):
        frames = [Image.new("P", (40, 30), index) for index in (1, 2, 3)]
        data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
        photo = make_photo(data=data, name="loop.gif")
        _, served = opened(photo.image)
        assert served.format == "PNG" and getattr(served, "n_frames", 1) == 1
        assert photo.image.name.endswith(".png")

    def test_webp_served_as_webp(self, make_photo):
        photo = make_photo(data=encode(halves((40, 30)), "WEBP"), name="photo.webp")
        assert opened(photo.image)[1].format == "WEBP"

    def test_photo_created_from_content_file(self, media):
        """The path the demo content and other scripts use: no form, still processed."""
        from django.core.files.base import ContentFile

        photo = Photo.objects.create(image=ContentFile(encode(halves((800, 400))), "demo.jpg"), alt_text="Demo")
        assert photo.original and photo.width == 800
        assert photo.renditions.filter(kind="card").exists()


@pytest.mark.django_db
class TestRenditions:
    def test_widths_formats_and_shapes(self, make_photo):
        photo = make_photo(data=encode(halves((2000, 1000))))
        made = {(r.kind, r.format): [] for r in photo.renditions.all()}
        for rendition in photo.renditions.order_by("width"):
            made[(rendition.kind, rendition.format)].append((rendition.width, rendition.height))
        for fmt in ("webp", "jpeg"):
            assert made[("full", fmt)] == [(320, 160), (640, 320), (960, 480), (1280, 640), (1920, 960)]
            assert made[("card", fmt)] == [(320, 180), (640, 360), (960, 540), (1280, 720)]
            assert made[("square", fmt)] == [(320, 320), (640, 640), (960, 960)]

    def test_files_match_their_records(self, make_photo):
        photo = make_photo(data=encode(halves((700, 400))))
        for rendition in photo.renditions.all():
            assert rendition.file.name.startswith(f"photos/renditions/{photo.pk}/")
            assert default_storage.exists(rendition.file.name)
            _, image = opened(rendition.file)
            assert image.format == rendition.format.upper()
            assert image.size == (rendition.width, rendition.height)

    def test_small_photo_never_upscaled(self, make_photo):
        photo = make_photo(data=encode(halves((200, 100))))
        sizes = {(r.kind, r.width, r.height) for r in photo.renditions.all()}
        assert sizes == {("full", 200, 100), ("card", 178, 100), ("4x3", 133, 100), ("square", 100, 100)}

    def test_focal_point_steers_crops(self, make_photo, django_capture_on_commit_callbacks):
        photo = make_photo(data=encode(halves((400, 200))), focal_x=0.0)
        square = photo.renditions.get(kind="square", format="jpeg")
        full_names = set(photo.renditions.filter(kind="full").values_list("file", flat=True))
        assert near(opened(square.file)[1].getpixel((100, 100)), RED)

        with django_capture_on_commit_callbacks(execute=True):
            photo.focal_x = 1.0
            photo.save()
        moved = photo.renditions.get(kind="square", format="jpeg")
        assert near(opened(moved.file)[1].getpixel((100, 100)), BLUE)
        assert moved.file.name != square.file.name
        assert not default_storage.exists(square.file.name)
        assert set(photo.renditions.filter(kind="full").values_list("file", flat=True)) == full_names

    def test_editing_text_does_not_rebuild(self, make_photo):
        photo = make_photo()
        names = set(photo.renditions.values_list("file", flat=True))
        photo.caption = "Changed"
        photo.save()
        assert set(photo.renditions.values_list("file", flat=True)) == names

    def test_partially_loaded_photo_saves_without_rebuilding(self, make_photo):
        photo = make_photo()
        names = set(photo.renditions.values_list("file", flat=True))
        partial = Photo.objects.only("caption").get(pk=photo.pk)
        partial.caption = "Only the caption changed"
        partial.save()
        assert Photo.objects.get(pk=photo.pk).caption == "Only the caption changed"
        assert set(photo.renditions.values_list("file", flat=True)) == names

    def test_widths_come_from_settings(self, make_photo, settings):
        settings.PHOTO_RENDITION_WIDTHS = [100, 250]
        photo = make_photo(data=encode(halves((300, 300))))
        assert sorted(set(photo.renditions.filter(kind="full").values_list("width", flat=True))) == [100, 250]


@pytest.mark.django_db
class TestDeletion:
    def test_deleting_a_story_keeps_its_photo(self, make_article, make_photo):
        photo = make_photo()
        story, other = make_article(lead_photo=photo), make_article(lead_photo=photo)
        story.delete()
        assert Photo.objects.filter(pk=photo.pk).exists()
        other.refresh_from_db()
        assert other.lead_photo == photo

    @pytest.mark.parametrize("user", ["make_article", "make_author"])
    def test_photo_in_use_cannot_be_deleted(self, request, user, make_photo):
        """Both a story's lead photo and an author's portrait hold on to the photo."""
        photo, unused = make_photo(), make_photo()
        field = "lead_photo" if user == "make_article" else "photo"
        request.getfixturevalue(user)(**{field: photo})
        with pytest.raises(ProtectedError):
            photo.delete()
        assert list(Photo.objects.in_use()) == [photo]
        unused.delete()

    def test_deleting_an_unused_photo_removes_its_files(self, make_photo, django_capture_on_commit_callbacks):
        photo = make_photo()
        names = [photo.image.name, *photo.renditions.values_list("file", flat=True)]
        original = Path(photo.original.path)
        with django_capture_on_commit_callbacks(execute=True):
            photo.delete()
        assert not Rendition.objects.exists()
        assert not any(default_storage.exists(name) for name in names)
        assert not original.exists()

    def test_new_upload_replaces_old_files(self, make_photo, django_capture_on_commit_callbacks):
        photo = make_photo()
        old = [photo.image.name, *photo.renditions.values_list("file", flat=True)]
        old_original = Path(photo.original.path)
        with django_capture_on_commit_callbacks(execute=True):
            photo.image = upload(encode(halves((90, 60))), "second.jpg")
            photo.save()
        assert photo.width == 90
        assert not any(default_storage.exists(name) for name in old)
        assert not old_original.exists()
        assert photo.renditions.get(kind="full", format="jpeg").width == 90
