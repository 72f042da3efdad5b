"""The demo site's text, read from the TOML files in ``demo/data/``.

Written for Newsdesk's demo; people, clubs, parties and quotes are invented.
Keeping it as data lets a writer edit a story without touching code; the
loaders in ``demo.loader`` turn it into rows.
"""

import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read(name):
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)


def colours(palette):
    """TOML has no tuples, and Pillow takes a colour only as a tuple."""
    return [tuple(colour) for colour in palette]


SECTIONS = [{**section, "palette": colours(section["palette"])} for section in read("sections.toml")["sections"]]
TAGS = read("tags.toml")["tags"]
_people = read("authors.toml")
PORTRAIT_PALETTES = [colours(palette) for palette in _people["portrait_palettes"]]
AUTHORS = _people["authors"]
# One file per section, in section order, then the stories not yet live.
STORIES = [
    story
    for name in [*(section["slug"] for section in SECTIONS), "unpublished"]
    for story in read(f"stories/{name}.toml")["stories"]
]
THREADS = read("comments.toml")["threads"]
