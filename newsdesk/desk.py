"""The desk: the admin's front page, made of panels that each app contributes for the people it serves.

An app registers a function ``panel(request)`` that returns a ``Panel``, with
the test of who it is for (a moderator gets no story panels, a reporter no
comment queue). Apps never import one another for this: the articles app
knows nothing of comments, and the other way round.
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


def register(order, shown_to=None):
    """Decorator: add ``panel(request)`` to the desk at position ``order`` (lower first), for the users that
    ``shown_to(user)`` accepts (everyone when None)."""

    def add(function):
        _panels.append((order, shown_to, function))
        _panels.sort(key=lambda entry: entry[0])
        return function

    return add


def panels_for(request):
    shown = (function(request) for _, to, function in _panels if to is None or to(request.user))
    return [panel for panel in shown if panel is not None]
