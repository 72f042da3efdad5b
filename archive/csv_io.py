"""Redirects as CSV, for editors who keep their old addresses in a spreadsheet."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from articles.models import Article
from newsdesk.text import is_number

from .models import Redirect, legacy_path

COLUMNS = ["old_path", "status", "story_id", "url", "note", "hits", "last_hit"]


def write_csv(redirects, stream):
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for redirect in redirects.iterator(chunk_size=2000):
        writer.writerow(
            [
                redirect.old_path,
                redirect.kind,
                redirect.article_id or "",
                redirect.url,
                redirect.note,
                redirect.hits,
                redirect.last_hit.isoformat() if redirect.last_hit else "",
            ]
        )


def read_csv(data):
    """Create or update a redirect per row; returns (number stored, [(line, problem)]). Hits are never imported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return 0, [(0, gettext("The file is not UTF-8 text."))]
    reader = csv.DictReader(io.StringIO(text))
    missing = {"old_path", "status"} - set(reader.fieldnames or [])
    if missing:
        return 0, [
            (
                1,
                gettext("The header must name the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(COLUMNS[:5]), "missing": ", ".join(sorted(missing))},
            )
        ]
    stored, problems = 0, []
    for line, row in enumerate(reader, start=2):
        try:
            redirect = _row(row)
        except (ValueError, ValidationError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            problems.append((line, message))
            continue
        redirect.save()
        stored += 1
    return stored, problems


def _row(row):
    path = legacy_path(row.get("old_path") or "")
    if not (row.get("old_path") or "").strip():
        raise ValueError(gettext("old_path is empty."))
    try:
        kind = Redirect.Kind(int((row.get("status") or "").strip()))
    except ValueError as error:
        raise ValueError(
            gettext("status must be 301, 302 or 410, not “%(status)s”.") % {"status": row.get("status")}
        ) from error
    story = (row.get("story_id") or "").strip()
    article_id = None
    if story:
        if not is_number(story) or not Article.objects.filter(pk=int(story)).exists():
            raise ValueError(gettext("there is no story %(story)s.") % {"story": story})
        article_id = int(story)
    redirect = Redirect.objects.filter(old_path=path).first() or Redirect(old_path=path)
    redirect.kind, redirect.article_id = kind, article_id
    redirect.url, redirect.note = (row.get("url") or "").strip(), (row.get("note") or "").strip()[:200]
    redirect.full_clean()
    return redirect
