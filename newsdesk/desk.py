"""The desk: the admin's front page, made of panels that each app contributes for the people it serves.

An app registers a function ``panel(request)`` that returns a ``Panel`` for this
user, or None when the panel is not theirs (a moderator gets no story panels,
a reporter no comment queue). Apps never import one another for this: the
articles app knows nothing of comments, and the other way round.
"""

from dataclasses import dataclass, field

_panels = []


@dataclass
class Item:
    label: str
    url: str
    detail: str = ""
    note: str = ""


@dataclass
class Panel:
    title: str
    items: list = field(default_factory=list)
    count: int | None = None
    link: str = ""
    link_label: str = ""
    empty: str = ""
    counts: list = field(default_factory=list)  # [(label, number, url)]


def register(order):
    """Decorator: add ``panel(request)`` to the desk at position ``order`` (lower first)."""

    def add(function):
        _panels.append((order, function))
        _panels.sort(key=lambda entry: entry[0])
        return function

    return add


def panels_for(request):
    return [panel for panel in (function(request) for _, function in _panels) if panel is not None]
