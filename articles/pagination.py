"""Keyset pagination for story lists: page 1000 costs what page 1 costs.

A page link carries the (publish_at, id) of the story it continues from
("before" for older stories, "after" for newer ones), so the database seeks
straight to it in the list's index instead of counting past every story
before it. The page number travels along in the link only to be shown.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from newsdesk.text import is_number

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# ASCII digits only: \d (and str.isdigit) also match "٣" and "²", which int() reads or refuses.
CURSOR = re.compile(r"(-?[0-9]{1,17})\.([0-9]{1,18})")
MAX_PAGE_NUMBER = 10**9
# The query parameters a list page reads: its page cache key holds these and no others.
PARAMS = ("before", "after", "page")


class BadCursor(ValueError):
    """A page link that was cut, edited or made up."""


@dataclass(frozen=True)
class Cursor:
    publish_at: datetime.datetime
    pk: int

    @classmethod
    def of(cls, story):
        return cls(story.publish_at, story.pk)

    @classmethod
    def parse(cls, text):
        match = CURSOR.fullmatch(text)
        if not match:
            raise BadCursor(text)
        try:
            moment = EPOCH + datetime.timedelta(microseconds=int(match[1]))
        except OverflowError as error:
            raise BadCursor(text) from error
        return cls(moment, int(match[2]))

    def __str__(self):
        return f"{(self.publish_at - EPOCH) // datetime.timedelta(microseconds=1)}.{self.pk}"


@dataclass
class StoryPage:
    """One page of a list, with the links to its neighbours (query strings)."""

    object_list: list
    number: int | None
    previous_query: str | None = None
    next_query: str | None = None

    @property
    def has_previous(self):
        return self.previous_query is not None

    @property
    def has_next(self):
        return self.next_query is not None

    def has_other_pages(self):
        return self.has_previous or self.has_next


def page_number(text):
    """The page number shown, if the link carries a sensible one."""
    if text and is_number(text) and 1 < int(text) <= MAX_PAGE_NUMBER:
        return int(text)
    return None


def keyset_page(queryset, params, size):
    """The page of ``queryset`` (newest first) that the query ``params`` ask for.

    Raises BadCursor when a "before" or "after" value cannot be read.
    """
    number = page_number(params.get("page"))
    if before := params.get("before"):
        rows = list(queryset.older_than(Cursor.parse(before))[: size + 1])
        return _page(rows[:size], number, newer=rows[:1], older=rows[size:])
    if after := params.get("after"):
        rows = list(queryset.newer_than(Cursor.parse(after))[: size + 1])
        if len(rows) > size:
            rows = rows[::-1]
            return _page(rows[1:], number, newer=rows[1:2], older=rows[-1:])
    rows = list(queryset.latest_first()[: size + 1])
    return _page(rows[:size], 1, newer=[], older=rows[size:])


def _page(stories, number, newer, older):
    """``newer``/``older`` hold a story only when there is something in that direction."""
    page = StoryPage(stories, number)
    if older and stories:
        page.next_query = _query("before", stories[-1], number + 1 if number else None)
    if newer and stories:
        if number == 2:
            page.previous_query = ""
        else:
            page.previous_query = _query("after", stories[0], number - 1 if number else None)
    return page


def _query(direction, story, number):
    params = {direction: str(Cursor.of(story))}
    if number:
        params["page"] = number
    return "?" + urlencode(params)
