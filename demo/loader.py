"""Turn the demo content of ``demo.content`` into rows, creating only what is missing.

Everything is looked up by slug first and only created when missing, so the
loaders can run on every start of a demo and never touch what is already
there: neither an earlier run's stories nor anything an editor wrote.
"""

import datetime
from collections import Counter

from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import AlsoRead, Article, Author, Byline, Correction, Section, Tag
from comments.models import Comment, Flag, body_digest
from demo import content, images
from photos.models import Photo

PROGRESS_EVERY = 6
SECTION_LOOKS = {data["slug"]: data for data in content.SECTIONS}


class DemoLoader:
    """Creates the missing sections, tags, authors, photos and stories, and reports counts."""

    COUNTED = ("sections", "tags", "authors", "photos", "stories", "also-read links", "corrections")

    def __init__(self, progress):
        self.progress = progress
        self.counts = Counter()
        self.now = timezone.now().replace(second=0, microsecond=0)

    def load(self):
        self.sections = {
            data["slug"]: self.named(
                Section, "sections", data["slug"], data["name"], description=data["description"], order=data["order"]
            )
            for data in content.SECTIONS
        }
        self.tags = {slug: self.named(Tag, "tags", slug, name) for slug, name in content.TAGS.items()}
        self.authors = {data["slug"]: self.author(index, data) for index, data in enumerate(content.AUTHORS)}
        total = len(content.STORIES)
        stories, created = {}, []
        for number, data in enumerate(content.STORIES, 1):
            stories[data["slug"]], made = self.story(data)
            if made:
                created.append(data)
            if number % PROGRESS_EVERY == 0 or number == total:
                self.progress(f"Stories: {number}/{total}")
        for data in created:
            self.links_and_notes(stories[data["slug"]], data, stories)
        return self.counts

    def named(self, model, counter, slug, name, **fields):
        """The row with this slug or, failing that, this name (both are unique); created if neither exists."""
        row = model.objects.filter(slug=slug).first() or model.objects.filter(name=name).first()
        if row is None:
            row = model.objects.create(slug=slug, name=name, **fields)
            self.counts[counter] += 1
        return row

    def author(self, index, data):
        author = Author.objects.filter(slug=data["slug"]).first()
        if author is None:
            photo = None
            if data.get("portrait"):
                palette = content.PORTRAIT_PALETTES[index % len(content.PORTRAIT_PALETTES)]
                photo = self.photo(
                    f"author-{data['slug']}",
                    images.portrait(data["slug"], palette),
                    caption=data["name"],
                    credit="Staff photographer",
                    alt_text=f"Portrait of {data['name']}",
                )
            author = Author.objects.create(
                slug=data["slug"], name=data["name"], kind=data["kind"], bio=data.get("bio", ""), photo=photo
            )
            self.counts["authors"] += 1
        return author

    def photo(self, name, jpeg, **fields):
        self.counts["photos"] += 1
        return Photo.objects.create(image=ContentFile(jpeg, name=f"{name}.jpg"), **fields)

    def story(self, data):
        """The story under the demo slug, created with its photo, byline and tags if missing."""
        existing = Article.objects.filter(slug=data["slug"]).first()
        if existing is not None:
            self.counts["stories kept"] += 1
            return existing, False
        look = SECTION_LOOKS[data["section"]]
        lead = None
        if "photo" in data:
            lead = self.photo(
                data["slug"],
                images.lead_photo(data["slug"], look["palette"], look["motif"]),
                **data["photo"],
            )
        article = Article.objects.create(
            slug=data["slug"],
            headline=data["headline"],
            standfirst=data["standfirst"],
            body=data["body"],
            section=self.sections[data["section"]],
            lead_photo=lead,
            status=data.get("status", Article.Status.PUBLISHED),
            publish_at=self.publish_at(data),
            featured=data.get("featured", False),
            comments_open=data.get("comments_open", True),
        )
        Byline.objects.bulk_create(
            Byline(article=article, author=self.authors[slug], order=order)
            for order, slug in enumerate(data["authors"])
        )
        article.tags.add(*(self.tags[slug] for slug in data.get("tags", ())))
        self.counts["stories"] += 1
        return article, True

    def publish_at(self, data):
        """Now minus the story's age, so a fresh demo looks like today's paper; None for a draft (no age)."""
        if "age_hours" not in data and "age_minutes" not in data:
            return None
        return self.now - datetime.timedelta(hours=data.get("age_hours", 0), minutes=data.get("age_minutes", 0))

    def links_and_notes(self, article, data, stories):
        for target_slug, after_paragraph in data.get("also_read", ()):
            target = stories[target_slug]
            if target.is_live:
                AlsoRead.objects.create(article=article, target=target, after_paragraph=after_paragraph)
                self.counts["also-read links"] += 1
        for note in data.get("notes", ()):
            noted_at = article.publish_at + datetime.timedelta(hours=note["hours_later"])
            Correction.objects.create(article=article, kind=note["kind"], text=note["text"], created_at=noted_at)
            # A note means the text changed after publishing; readers see that as "Updated".
            Article.objects.filter(pk=article.pk).update(updated_at=noted_at)
            self.counts["corrections"] += 1


class CommentLoader:
    """Puts the demo threads under the demo stories that are live; a comment already there is left alone."""

    def load(self):
        """How many comments were created, and how many demo stories were not found by their slugs."""
        stories = Article.objects.select_related("section").in_bulk(list(content.THREADS), field_name="slug")
        created = 0
        for slug, thread in content.THREADS.items():
            if slug in stories and stories[slug].publish_at:
                created += self.thread(stories[slug], thread)
        return created, len(content.THREADS) - len(stories)

    def thread(self, story, thread):
        placed, created = [], 0
        for data in thread:
            comment, is_new = Comment.objects.get_or_create(
                article=story,
                email=data["email"],
                body_digest=body_digest(data["body"]),
                defaults={
                    "author_name": data["name"],
                    "body": data["body"],
                    "parent": placed[data["reply_to"]] if "reply_to" in data else None,
                    "status": data.get("status", Comment.Status.APPROVED),
                    "created": story.publish_at + datetime.timedelta(minutes=data["minutes"]),
                    "reason": "Demo content.",
                },
            )
            if is_new and "flagged" in data:
                Flag.objects.create(comment=comment, reason=data["flagged"], ip_hash="demo")
            placed.append(comment)
            created += is_new
        return created
