"""Photos and galleries inside a story's body, picked from the photo library."""

import re

import pytest
from django.db.models import ProtectedError

from articles.models import BodyPhoto
from photos.models import Photo
from tests.conftest import jpeg_bytes

from .test_admin import change_url
from .test_editor import also_read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_with_photos(make_article, make_photo):
    story = make_article()
    inline = make_photo(jpeg_bytes(size=(1200, 800)), caption="The harbour at dawn.", credit="Jane Doe/AFP")
    first = make_photo(caption="Gallery one.", credit="AP", alt_text="First in the gallery")
    second = make_photo(caption="Gallery two.", credit="AP", alt_text="Second in the gallery")
    BodyPhoto.objects.create(article=story, photo=inline, after_paragraph=1)
    BodyPhoto.objects.create(article=story, photo=second, after_paragraph=2, order=2)
    BodyPhoto.objects.create(article=story, photo=first, after_paragraph=2, order=1)
    return story, inline, (first, second)


def test_inline_photo_and_gallery_sit_after_their_paragraphs(client, story_with_photos):
    story, inline, gallery = story_with_photos
    html = client.get(story.get_absolute_url()).content.decode()
    body = html[html.index('class="story__body"') :]
    first, second, third = (body.index(text) for text in ("First paragraph", "Second paragraph", "Third paragraph"))
    photo = body.index('class="photo story__inline-photo"')
    grid = body.index('class="gallery__grid"')
    assert first < photo < second < grid < third
    inline_html = body[photo:grid]
    assert "The harbour at dawn." in inline_html and "Photo: Jane Doe/AFP" in inline_html
    assert 'loading="lazy"' in inline_html and re.search(r'srcset="[^"]+ \d+w, ', inline_html)
    gallery_html = body[grid:third]
    assert gallery_html.index("First in the gallery") < gallery_html.index("Second in the gallery")
    assert gallery_html.count("<li") == 2 and "Gallery: 2 photos" in gallery_html


def test_a_photo_in_a_body_is_in_use_and_cannot_be_deleted(story_with_photos):
    story, inline, _ = story_with_photos
    assert inline in Photo.objects.in_use()
    assert Photo.objects.with_usage().get(pk=inline.pk).story_count == 1
    assert inline.usage() == ([story], [])
    with pytest.raises(ProtectedError):
        inline.delete()


def test_the_photo_admin_refuses_to_delete_a_photo_shown_in_a_body(client, editor, story_with_photos):
    _, inline, _ = story_with_photos
    client.force_login(editor)
    response = client.post(f"/admin/photos/photo/{inline.pk}/delete/", {"post": "yes"}, follow=True)
    assert "Nothing was deleted" in response.content.decode()
    assert Photo.objects.filter(pk=inline.pk).exists()


def test_a_body_photo_past_the_last_paragraph_is_a_form_error(client, editor, make_article, make_photo):
    story, photo = make_article(), make_photo()
    client.force_login(editor)
    data = also_read_form(story, make_article(), 1)
    data.update(
        {
            "body_photos-TOTAL_FORMS": "1",
            "body_photos-INITIAL_FORMS": "0",
            "body_photos-0-photo": photo.pk,
            "body_photos-0-after_paragraph": "7",
            "body_photos-0-order": "0",
        }
    )
    response = client.post(change_url(story), data)
    assert "The body has 3 paragraphs; choose a number from 1 to 3" in response.content.decode()
    assert not BodyPhoto.objects.exists()
    data["body_photos-0-after_paragraph"] = "3"
    assert client.post(change_url(story), data).status_code == 302
    assert BodyPhoto.objects.get().after_paragraph == 3


@pytest.mark.parametrize("term", ["harbour", "Jane Doe", "quayside"])
def test_photo_picker_searches_caption_credit_and_alt_text_and_shows_thumbnails(client, editor, make_photo, term):
    photo = make_photo(caption="The harbour at dawn.", credit="Jane Doe/AFP", alt_text="Boats on the quayside")
    make_photo(caption="Something else", credit="AP", alt_text="A field")
    client.force_login(editor)
    params = {"term": term, "app_label": "articles", "model_name": "article", "field_name": "lead_photo"}
    results = client.get("/admin/autocomplete/", params).json()["results"]
    assert [result["id"] for result in results] == [str(photo.pk)]
    assert results[0]["thumbnail"].endswith(".jpg") and "/square-" in results[0]["thumbnail"]
    assert results[0]["credit"] == "Jane Doe/AFP"
