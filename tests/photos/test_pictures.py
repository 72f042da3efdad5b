"""What a <picture> shows is kept on the photo row (Photo.pictures): rendering reads no rendition and asks
storage for no address, and every change to the renditions shows on the next render, page cache or not."""

import re

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from photos.models import Photo, Rendition, pictures_of
from tests.photos.images import encode, halves

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_photo(make_photo):
    return lambda **kwargs: make_photo(data=encode(halves((2000, 1200))), **kwargs)


def card_srcset(client, alt):
    html = client.get(reverse("articles:home")).content.decode()
    img = next(found for found in re.findall(r"<img\b[^>]*>", html) if f'alt="{alt}"' in found)
    return re.search(r'srcset="([^"]*)"', img).group(1) if "srcset=" in img else None, img


def test_pictures_are_worked_out_when_renditions_are_built(big_photo):
    photo = big_photo()
    card = photo.pictures["card"]
    jpegs = list(photo.renditions.filter(kind="card", format="jpeg").order_by("width"))
    assert card["jpeg"] == ", ".join(f"{r.file.url} {r.width}w" for r in jpegs)
    assert card["src"] == next(r.file.url for r in jpegs if r.width >= 640)
    assert (card["width"], card["height"], card["widest"]) == (jpegs[-1].width, jpegs[-1].height, jpegs[-1].file.url)
    assert card["webp"].count(".webp ") == len(jpegs)
    assert photo.pictures[Photo.SERVED] == {"src": photo.image.url, "width": 2000, "height": 1200}
    assert Photo.objects.get(pk=photo.pk).pictures == photo.pictures


def test_rendering_cards_asks_storage_for_no_address(client, make_article, big_photo, monkeypatch):
    for number in range(3):
        make_article(lead_photo=big_photo(alt_text=f"Photo {number}"))
    asked = []
    monkeypatch.setattr(FileSystemStorage, "url", lambda self, name: asked.append(name) or f"/{name}")
    html = client.get(reverse("articles:home")).content.decode()
    assert html.count("<picture>") >= 3 and "/card-" in html
    assert not [name for name in asked if name.startswith("photos/")]  # static files only


def test_a_moved_focal_point_shows_new_crops_on_the_next_render(
    client, make_article, big_photo, django_capture_on_commit_callbacks
):
    photo = big_photo(alt_text="Harbour")
    make_article(lead_photo=photo)
    before, _ = card_srcset(client, "Harbour")
    with django_capture_on_commit_callbacks(execute=True):
        photo.focal_x = 0.05
        photo.save()
    after, _ = card_srcset(client, "Harbour")
    assert after != before and "/card-" in after
    current = {r.file.url for r in photo.renditions.filter(kind="card", format="jpeg")}
    assert {entry.split()[0] for entry in after.split(", ")} == current


def test_deleted_renditions_leave_the_served_copy_on_the_next_render(
    client, make_article, big_photo, django_capture_on_commit_callbacks
):
    photo = big_photo(alt_text="Harbour")
    make_article(lead_photo=photo)
    assert card_srcset(client, "Harbour")[0]
    with django_capture_on_commit_callbacks(execute=True):
        Rendition.objects.filter(photo=photo, kind="card").delete()
    srcset, img = card_srcset(client, "Harbour")
    assert srcset is None and f'src="{photo.image.url}"' in img
    with django_capture_on_commit_callbacks(execute=True):
        photo.build_renditions()
    assert "/card-" in card_srcset(client, "Harbour")[0]


def test_a_new_upload_in_the_admin_shows_the_served_copy_until_its_renditions_are_built(big_photo, media):
    photo = big_photo()
    old = photo.pictures["card"]["src"]
    photo.image = SimpleUploadedFile("new.jpg", encode(halves((1600, 900))), content_type="image/jpeg")
    photo.save(renditions=Photo.LATER)  # the job runs on commit, which this test never reaches
    stored = Photo.objects.get(pk=photo.pk)
    assert stored.picture("card") == stored.pictures[Photo.SERVED]
    assert stored.picture("card")["src"] == photo.image.url != old


def test_rows_written_without_photo_save_get_their_pictures_worked_out(big_photo):
    """An import writes photos and renditions as rows; a row stored before pictures were kept shows them too."""
    photo = big_photo()
    Photo.objects.filter(pk=photo.pk).update(pictures={})
    unkept = Photo.objects.get(pk=photo.pk)
    assert unkept.picture("card") == photo.pictures["card"]  # worked out on the fly meanwhile
    Photo.objects.filter(pk=photo.pk).refresh_pictures()
    assert Photo.objects.get(pk=photo.pk).pictures == pictures_of(photo, photo.renditions.all()) == photo.pictures
