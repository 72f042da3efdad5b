"""Renditions after an upload in the admin are made by a real worker; pages show the upload meanwhile."""

import pytest
from django.test import Client
from django.urls import reverse

from photos.models import Photo
from photos.tasks import build_renditions
from tests.photos.images import encode, halves, upload
from tests.workers import finished

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_admin_answers_at_once_and_a_worker_makes_the_renditions(worker, editor, make_article):
    client = Client()
    client.force_login(editor)
    form = {"alt_text": "Firefighters at a warehouse", "credit": "AFP", "focal_x": "0.5", "focal_y": "0.5"}
    response = client.post(reverse("admin:photos_photo_add"), {**form, "image": upload(encode(halves((800, 450))))})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert not photo.renditions.exists()
    story = make_article(lead_photo=photo)
    page = Client().get(story.get_absolute_url()).content.decode()
    assert photo.image.url in page  # the served copy until the renditions exist

    worker.start()
    results = finished(build_renditions.module_path)
    assert len(results) == 1, [r.traceback for r in results]
    (result,) = results
    assert result.status == "SUCCESSFUL" and result.return_value == photo.renditions.count() > 0
    assert photo.renditions.filter(kind="card").count() == 4
