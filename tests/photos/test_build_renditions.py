"""The build_renditions command: fills gaps, skips what exists, survives broken photos, rebuilds on demand."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from photos.models import Rendition
from tests.photos.images import encode, halves


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("build_renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def names(photo):
    return set(photo.renditions.values_list("file", flat=True))


@pytest.mark.django_db
class TestBuildRenditions:
    def test_builds_only_what_is_missing(self, make_photo):
        first, second = make_photo(), make_photo()
        complete = names(second)
        first.renditions.filter(kind="card").delete()
        out, _ = run()
        assert "2/2 photos" in out
        assert "Built 2 renditions for 2 photos." in out
        assert first.renditions.filter(kind="card").count() == 2
        assert names(second) == complete

    def test_second_run_does_nothing(self, make_photo):
        photo = make_photo()
        before = names(photo)
        run()
        out, _ = run()
        assert "Built 0 renditions" in out
        assert names(photo) == before

    def test_force_rebuilds_everything(self, make_photo):
        photo = make_photo()
        count = photo.renditions.count()
        out, _ = run("--force")
        assert f"Built {count} renditions for 1 photos." in out
        assert photo.renditions.count() == count

    def test_new_width_setting_added_and_stale_removed(self, make_photo, settings):
        photo = make_photo(data=encode(halves((1000, 800))))
        settings.PHOTO_RENDITION_WIDTHS = [200, 320, 640]
        run()
        widths = set(photo.renditions.filter(kind="full").values_list("width", flat=True))
        assert widths == {200, 320, 640}

    def test_photo_without_renditions_or_dimensions(self, make_photo):
        """Photos stored before the pipeline existed: no renditions, no recorded size."""
        photo = make_photo(data=encode(halves((500, 300))))
        photo.renditions.all().delete()
        type(photo).objects.filter(pk=photo.pk).update(width=None, height=None)
        run()
        photo.refresh_from_db()
        assert (photo.width, photo.height) == (500, 300)
        assert photo.renditions.count() == 8

    def test_check_files_rebuilds_lost_files(self, make_photo):
        photo = make_photo()
        lost = photo.renditions.get(kind="square", format="webp")
        default_storage.delete(lost.file.name)
        out, _ = run()
        assert "Built 0 renditions" in out
        out, _ = run("--check-files")
        assert "Built 1 renditions" in out
        assert default_storage.exists(photo.renditions.get(kind="square", format="webp").file.name)

    def test_unreadable_photo_is_reported_and_the_rest_built(self, make_photo):
        broken, fine = make_photo(), make_photo()
        Rendition.objects.all().delete()
        broken.original.storage.delete(broken.original.name)
        out, err = run()
        assert f"Photo {broken.pk} skipped" in err
        assert "1 photos could not be read" in err
        assert "2/2 photos" in out
        assert fine.renditions.count() == 8
        assert not broken.renditions.exists()
