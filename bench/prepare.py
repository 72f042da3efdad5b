"""Bring one benchmark database up to N stories and print, as JSON, the addresses bench/run loads.

Run by bench/run with DATABASE_URL naming the database; safe to run again
(stories are only added up to N).
"""

import contextlib
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from articles.models import Article, Author, Section, Tag  # noqa: E402
from articles.pagination import Cursor  # noqa: E402

DEEP_PAGE = 1000
# Searches of the generated archive: a headline word in about one story in 25, two of them
# (one in 500), three of them (one in 6,000) and a phrase. bench/search.py times these and more.
SEARCHES = [
    ("common word", {"q": "budget"}),
    ("two words", {"q": "farmers budget"}),
    ("rare words", {"q": "farmers rail capital"}),
    ("phrase", {"q": '"central bank"'}),
]


def prepare(size):
    """The database topped up to ``size`` stories, and what to load: {"urls": {name: address}, ...}."""
    call_command("migrate", verbosity=0)
    have = Article.objects.published().count()
    if have < size:
        call_command("generate_stories", stories=size - have, batch=10_000, seed=have + 1)
        # SQLite plans by the statistics ANALYZE gathers (PostgreSQL's autovacuum keeps its own):
        # without them it sorts every live story for a walk down the date index.
        call_command("analyze_database", verbosity=0)
    live = Article.objects.published()
    section = Section.objects.annotate(stories=Count("articles")).order_by("-stories").first()
    story = live.filter(section=section).latest_first().first()
    comments = ensure_comments(story)
    in_section = live.filter(section=section).latest_first()
    deep = max(2, min(DEEP_PAGE, (in_section.count() - 1) // settings.PAGE_SIZE))
    # Finding the cursor by OFFSET is a one-off here; readers reach deep pages by following links.
    last_before_deep = in_section[(deep - 1) * settings.PAGE_SIZE - 1]
    urls = {
        "story": story.get_absolute_url(),
        "home": "/",
        "section_1": section.get_absolute_url(),
        "section_deep": f"{section.get_absolute_url()}?before={Cursor.of(last_before_deep)}&page={deep}",
    }
    # The busiest tag and byline: the pages whose stories must be picked out of the most.
    for label, model in (("tag", Tag), ("author", Author)):
        busiest = model.objects.annotate(stories=Count("articles")).order_by("-stories", "pk").first()
        urls[label] = busiest.get_absolute_url()
    with contextlib.suppress(NoReverseMatch):
        for label, params in SEARCHES:
            urls[f"search, {label}"] = f"{reverse('articles:search')}?{urlencode(params)}"
    return {"urls": urls, "stories": live.count(), "comments_on_story": comments, "deep_page": deep}


def ensure_comments(story, wanted=50):
    """Give the benchmark story ``wanted`` approved comments (every fifth a reply), when the comments app exists."""
    from django.apps import apps

    try:
        Comment = apps.get_model("comments", "Comment")
    except LookupError:
        return 0
    approved = Comment.objects.filter(article=story, status=Comment.Status.APPROVED)
    have = approved.count()
    parent = None
    for n in range(have, wanted):
        comment = Comment(
            article=story,
            parent=parent if n % 5 == 4 else None,
            author_name=f"Reader {n}",
            email=f"reader{n}@example.org",
            body=f"Comment number {n}: a thoughtful remark about this story, with a second sentence.",
            status=Comment.Status.APPROVED,
        )
        comment.save()
        parent = comment
    return approved.count()


if __name__ == "__main__":
    print(json.dumps(prepare(int(sys.argv[1]))))
