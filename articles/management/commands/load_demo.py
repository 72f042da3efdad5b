"""Fill an empty (or not so empty) site with demo stories.

Everything is looked up by slug first and only created when missing, so the
command can run on every start of a demo and never touches what is already
there: neither an earlier run's stories nor anything an editor wrote.
"""

import datetime
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles import demo_content, demo_images
from articles.models import AlsoRead, Article, Author, Byline, Correction, Photo, Section, Tag

PROGRESS_EVERY = 6
SECTION_LOOKS = {data["slug"]: data for data in demo_content.SECTIONS}


class Command(BaseCommand):
    help = (
        "Load demo sections, tags, authors, photos and stories. Safe to run again: only missing demo "
        "content is created, and nothing that exists is changed or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help="Also create the superuser admin / admin if missing. For local demos only; refused when DEBUG is off.",
        )

    def handle(self, *args, with_admin=False, verbosity=1, **options):
        if with_admin and not settings.DEBUG:
            raise CommandError(
                "--with-admin creates a superuser with the password “admin” and is refused when DEBUG is off. "
                "Use `manage.py createsuperuser` on a real site."
            )
        self.verbosity = verbosity
        with transaction.atomic():
            counts = DemoLoader(self.progress).load()
            if with_admin:
                self.create_admin()
        self.progress(
            "Demo content: "
            + ", ".join(f"{counts[name]} {name} created" for name in DemoLoader.COUNTED)
            + f"; {counts['stories kept']} stories already there were left as they are."
        )

    def progress(self, message):
        if self.verbosity:
            self.stdout.write(message)

    def create_admin(self):
        users = get_user_model()
        if users.objects.filter(username="admin").exists():
            self.progress("User “admin” already exists; left unchanged.")
            return
        users.objects.create_superuser("admin", "admin@example.org", "admin")
        self.stdout.write(
            self.style.WARNING(
                "Created superuser admin with password “admin”. This is for local demos only: "
                "never use it on a site anyone else can reach."
            )
        )


class DemoLoader:
    """Creates the missing part of the demo content in ``articles.demo_content``."""

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
            for data in demo_content.SECTIONS
        }
        self.tags = {slug: self.named(Tag, "tags", slug, name) for slug, name in demo_content.TAGS.items()}
        self.authors = {data["slug"]: self.author(index, data) for index, data in enumerate(demo_content.AUTHORS)}
        total = len(demo_content.STORIES)
        stories, created = {}, []
        for number, data in enumerate(demo_content.STORIES, 1):
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
                palette = demo_content.PORTRAIT_PALETTES[index % len(demo_content.PORTRAIT_PALETTES)]
                photo = self.photo(
                    f"author-{data['slug']}",
                    demo_images.portrait(data["slug"], palette),
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
                demo_images.lead_photo(data["slug"], look["palette"], look["motif"]),
                **data["photo"],
            )
        status = data.get("status", Article.Status.PUBLISHED)
        article = Article.objects.create(
            slug=data["slug"],
            headline=data["headline"],
            standfirst=data["standfirst"],
            body=data["body"],
            section=self.sections[data["section"]],
            lead_photo=lead,
            status=status,
            publish_at=self.now - data["ago"] if "ago" in data else None,
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

    def links_and_notes(self, article, data, stories):
        for target_slug, after_paragraph in data.get("also_read", ()):
            target = stories[target_slug]
            if target.is_live:
                AlsoRead.objects.create(article=article, target=target, after_paragraph=after_paragraph)
                self.counts["also-read links"] += 1
        for kind, text, hours_later in data.get("notes", ()):
            noted_at = article.publish_at + datetime.timedelta(hours=hours_later)
            Correction.objects.create(article=article, kind=kind, text=text, created_at=noted_at)
            # A note means the text changed after publishing; readers see that as "Updated".
            Article.objects.filter(pk=article.pk).update(updated_at=noted_at)
            self.counts["corrections"] += 1
