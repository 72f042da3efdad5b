"""Numbers are ASCII digits (issue 18, point 2): "²" passes str.isdigit() and then int() raises; "٣" passes
both and reads as 3. Every place that reads a number from text takes 0-9 only."""

import pytest

from archive.csv_io import read_csv
from articles import embeds
from articles.pagination import Cursor, page_number
from comments.admin import story_at
from newsdesk.text import is_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, number", [("12", True), ("²", False), ("٣", False), ("１２", False), ("", False)])
def test_is_number_takes_ascii_digits_only(text, number):
    assert is_number(text) is number


def test_list_page_numbers_and_cursors():
    assert page_number("²") is None and page_number("٣") is None and page_number("3") == 3
    with pytest.raises(ValueError):
        Cursor.parse("٣.١")


def test_a_story_named_by_a_unicode_digit_is_no_story(make_article):
    """The comment admin's "close comments on a story" box gave a 500 for "²"."""
    story = make_article()
    assert story_at("²") is None and story_at("٣") is None
    assert story_at(str(story.pk)) == story


def test_redirect_csv_with_a_unicode_digit_story_is_a_clear_row_error():
    stored, problems = read_csv("old_path,status,story_id\n/old/,301,²\n".encode())
    assert stored == 0 and problems == [(2, "there is no story ².")]


def test_embed_ids_are_ascii():
    with pytest.raises(embeds.EmbedError):
        embeds.parse("https://vimeo.com/١٢٣٤٥")
    assert embeds.parse("https://vimeo.com/12345").id == "12345"
