"""RSS 2.0 and Atom feeds as stories, for sites without a WordPress export.

The feed is first read with defusedxml, which refuses entity tricks and
malformed XML before anything is written; only then does feedparser make
sense of the many dialects of RSS and Atom.
"""

import calendar
import datetime
import shutil
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.text import slugify

from articles.models import Article

from . import convert
from .importing import Importer, Malformed, Progress, StoryRecord, plain_text
from .wxr import RefusedFile, local_name

FEED_ROOTS = {"rss", "feed", "RDF"}
MAX_BYTES = 100 * 1024 * 1024


def fetch(source, folder):
    """The feed as a local file: ``source`` itself, or what its http(s) URL returns (at most MAX_BYTES)."""
    if urlsplit(source).scheme not in ("http", "https"):
        path = Path(source)
        if not path.is_file():
            raise RefusedFile(f"There is no file {source}.")
        return path
    target = Path(folder) / "feed.xml"
    try:
        with urllib.request.urlopen(source, timeout=30) as response, target.open("wb") as out:  # noqa: S310
            shutil.copyfileobj(response, out)
            if out.tell() > MAX_BYTES:
                raise RefusedFile("The feed is larger than 100 MB.")
    except OSError as error:
        raise RefusedFile(f"The feed could not be fetched: {error}.") from error
    return target


def check(path):
    """Refuse what is not well-formed, safe XML with an RSS or Atom root, reading it as a stream."""
    try:
        for _, element in iterparse(str(path), events=("start",)):
            name = local_name(element.tag)
            if name not in FEED_ROOTS:
                raise RefusedFile(f"This is not an RSS or Atom feed: the document is <{name}>.")
            break
        for _ in iterparse(str(path)):
            pass
    except ParseError as error:
        raise RefusedFile(f"This file is not well-formed XML (it may be truncated): {error}.") from error
    except DefusedXmlException as error:
        raise RefusedFile(f"This file uses XML features refused for safety ({type(error).__name__}).") from error


def aware(parsed):
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC) if parsed else None


class FeedImporter(Importer):
    def __init__(self, source, **kwargs):
        self.folder = tempfile.TemporaryDirectory()
        path = fetch(source, self.folder.name)
        check(path)
        self.feed = feedparser.parse(path.read_bytes(), resolve_relative_uris=False, sanitize_html=False)
        site = self.feed.feed.get("link") or source
        super().__init__(f"feed:{site}", **kwargs)

    def run(self):
        try:
            return self.execute(self._run)
        finally:
            self.folder.cleanup()

    def _run(self):
        progress = Progress(self.stderr, len(self.feed.entries))
        self.run_batches(self.records(), progress)
        progress.finish()

    def records(self):
        for number, entry in enumerate(self.feed.entries, start=1):
            source_id = entry.get("id") or entry.get("link") or f"entry {number}"
            try:
                yield self.record(source_id, entry)
            except Malformed as error:
                yield ("stories", "failed", source_id, str(error))

    def record(self, source_id, entry):
        content = entry.get("content")
        html = content[0].get("value", "") if content else entry.get("summary", "")
        headline = plain_text(entry.get("title", ""))[:200]
        if not headline and not html:
            raise Malformed("neither a title nor any text")
        publish_at = aware(entry.get("published_parsed") or entry.get("updated_parsed"))
        if publish_at is None:
            raise Malformed("no publication date")
        terms = [
            (slugify(tag.get("term", "")), tag.get("label") or tag.get("term", "")) for tag in entry.get("tags", [])
        ]
        terms = [term for term in terms if term[0]]
        authors = [author.get("name", "") for author in entry.get("authors", []) if author.get("name")]
        return StoryRecord(
            source_id=source_id[:300],
            headline=headline or f"Untitled {publish_at:%Y-%m-%d}",
            slug=(slugify(headline) or f"story-{publish_at:%Y%m%d%H%M}")[:200],
            standfirst=plain_text(entry.get("summary", ""))[:600] if content else "",
            body=convert.to_body(html).html,
            status=Article.Status.PUBLISHED,
            publish_at=publish_at,
            section=terms[0] if terms else ("", ""),
            tags=terms[1:],
            authors=[(slugify(name), name) for name in authors],
            legacy_urls=[entry["link"]] if entry.get("link") else [],
        )
