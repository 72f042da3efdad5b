"""The photo library's focal-point widget in a real browser: a click on the picture sets the point."""

import pytest
from playwright.sync_api import expect

from photos.models import Photo

from ..conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_click_on_the_picture_sets_the_focal_point_where_clicked(admin_page, editor, make_photo, viewport):
    """A wide photo shown narrower than its own width: the frame must not be wider than the picture."""
    photo = make_photo(jpeg_bytes(size=(1400, 700), color=(40, 90, 160)))
    page = admin_page(editor)
    page.set_viewport_size(viewport)
    page.goto(f"/admin/photos/photo/{photo.pk}/change/")
    picture = page.locator(".focal-point img")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    assert box["width"] < 1400

    picture.click(position={"x": box["width"] * 0.82, "y": box["height"] * 0.25})
    across = float(page.get_by_label("Focal point across").input_value())
    down = float(page.get_by_label("Focal point down").input_value())
    assert across == pytest.approx(0.82, abs=0.003) and down == pytest.approx(0.25, abs=0.005)
    assert_mark_at(page, 0.82, 0.25)

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.focal_x, photo.focal_y) == (across, down)
    square = photo.renditions.get(kind="square", format="jpeg", width=640)
    assert square.width == square.height == 640

    # The marker the server draws after the reload sits on the stored point too.
    assert_mark_at(page, across, down)


def assert_mark_at(page, across, down):
    """The marker's centre is on the point, as fractions of the picture (not of its frame)."""
    picture = page.locator(".focal-point img")
    picture.scroll_into_view_if_needed()
    box, mark = picture.bounding_box(), page.locator(".focal-point__mark").bounding_box()
    assert mark["x"] + mark["width"] / 2 == pytest.approx(box["x"] + box["width"] * across, abs=1.5)
    assert mark["y"] + mark["height"] / 2 == pytest.approx(box["y"] + box["height"] * down, abs=1.5)
