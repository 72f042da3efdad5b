"""Fill the database with many realistic-looking stories, fast, for load and query-plan tests.

Rows are built as model instances (so every field gets its default) and
written in batches: through PostgreSQL's COPY when on PostgreSQL, with
bulk_create elsewhere. Ids are assigned here, so bylines and tags can refer
to stories of the same batch without reading anything back.
"""

import datetime
import io
import random
import time

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Byline, Section, Tag
from demo import lorem

SECTIONS = [
    ("World", 22),
    ("Business", 16),
    ("Politics", 14),
    ("Sport", 14),
    ("Sci-Tech", 10),
    ("Culture", 8),
    ("Opinion", 7),
    ("Health", 5),
    ("Education", 4),
]
DESKS = [("News Desk", Author.Kind.DESK), ("Our Correspondent", Author.Kind.DESK)]
AGENCIES = [("AFP", Author.Kind.AGENCY), ("Reuters", Author.Kind.AGENCY), ("AP", Author.Kind.AGENCY)]


def generate(count, years, batch, seed, stream=None):
    """Add ``count`` published stories, ``batch`` rows per write, drawing progress on ``stream`` if given."""
    rng = random.Random(seed)
    with transaction.atomic():
        generator = StoryGenerator(rng, count, years)
        reset_sequences()
    bar = ProgressBar(count, stream)
    # One transaction per batch: the database checks the batch's foreign keys at each
    # commit instead of queueing millions of checks for one final commit, and the
    # progress bar includes that time.
    batches = generator.write(batch)
    while True:
        with transaction.atomic():
            done = next(batches, None)
            reset_sequences()
        if done is None:
            break
        bar.update(done)
    bar.finish()
    refresh_statistics()


class StoryGenerator:
    """Stories, their bylines and tags, built batch by batch from word lists."""

    def __init__(self, rng, count, years):
        self.rng, self.count = rng, count
        self.sections = [ensure(Section, name, order=order) for order, (name, _) in enumerate(SECTIONS)]
        self.section_weights = [weight for _, weight in SECTIONS]
        people = max(20, count // 500)
        self.authors = [ensure(Author, name, kind=kind) for name, kind in DESKS + AGENCIES]
        self.authors += self.new_rows(Author, people, self.person)
        self.tags = self.new_rows(Tag, max(50, count // 400), lambda pk: Tag(name=lorem.tag_name(rng, pk)))
        # A few tags (and reporters) carry most stories, as in a real archive.
        self.tag_weights = [1 / (rank + 1) for rank in range(len(self.tags))]
        self.author_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(self.authors))]
        self.paragraphs = [lorem.paragraph(rng) for _ in range(2_000)]
        self.end = timezone.now() - datetime.timedelta(minutes=5)
        self.start = self.end - datetime.timedelta(days=365 * years)

    def person(self, pk):
        return Author(kind=Author.Kind.PERSON, name=lorem.person_name(self.rng), bio=lorem.sentence(self.rng))

    def new_rows(self, model, count, build):
        """Write ``count`` rows made by ``build(pk)``, with unique slugs, and return them."""
        first = next_id(model)
        objects = []
        for pk in range(first, first + count):
            obj = build(pk)
            obj.pk, obj.slug = pk, f"{slugify(obj.name)}-{pk}"
            objects.append(obj)
        write(model, objects)
        return objects

    def write(self, batch):
        first = next_id(Article)
        byline_id, tag_link_id = next_id(Byline), next_id(Article.tags.through)
        span = (self.end - self.start) / self.count
        for begin in range(0, self.count, batch):
            stories, bylines, tag_links = [], [], []
            for n in range(begin, min(begin + batch, self.count)):
                story = self.story(first + n, self.start + span * (n + self.rng.random()))
                stories.append(story)
                for order, author in enumerate(self.pick(self.authors, self.author_weights, 1, 3)):
                    bylines.append(Byline(id=byline_id, article_id=story.pk, author_id=author.pk, order=order))
                    byline_id += 1
                for tag in self.pick(self.tags, self.tag_weights, 0, 4):
                    tag_links.append(Article.tags.through(id=tag_link_id, article_id=story.pk, tag_id=tag.pk))
                    tag_link_id += 1
            write(Article, stories)
            write(Byline, bylines)
            write(Article.tags.through, tag_links)
            yield begin + len(stories)

    def story(self, pk, publish_at):
        rng = self.rng
        headline = lorem.headline(rng)
        return Article(
            id=pk,
            headline=headline,
            slug=f"{slugify(headline)[:180]}-{pk}",
            standfirst=lorem.sentence(rng) + " " + lorem.sentence(rng),
            body="".join(rng.choices(self.paragraphs, k=rng.randint(4, 12))),
            section_id=rng.choices(self.sections, self.section_weights)[0].pk,
            status=Article.Status.PUBLISHED,
            featured=rng.random() < 0.01,
            publish_at=publish_at,
            created_at=publish_at - datetime.timedelta(hours=2),
            modified_at=publish_at,
            comments_open=rng.random() < 0.9,
        )

    def pick(self, rows, weights, least, most):
        """Distinct rows, popular ones more often."""
        wanted = self.rng.randint(least, most)
        return list({row.pk: row for row in self.rng.choices(rows, weights, k=wanted)}.values())


def ensure(model, name, **defaults):
    return model.objects.get_or_create(slug=slugify(name), defaults={"name": name, **defaults})[0]


def next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def write(model, objects):
    """Insert ``objects`` (with their ids set) as fast as the database allows."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    fields = model._meta.concrete_fields
    buffer = io.StringIO()
    for obj in objects:
        values = (field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields)
        buffer.write("\t".join(map(copy_text, values)))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)


def copy_text(value):
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def reset_sequences():
    """Let ordinary inserts continue after the ids chosen here."""
    models = [Section, Author, Tag, Article, Byline, Article.tags.through]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def refresh_statistics():
    """Bulk loads leave the planner's row estimates stale until autovacuum comes by; with
    them it picks plans made for an empty table (e.g. hashing a whole section for one page)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Article, Byline, Article.tags.through, Author, Tag):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class ProgressBar:
    """A one-line text progress bar with rate and time left."""

    WIDTH = 30

    def __init__(self, total, stream):
        self.total, self.stream, self.started = total, stream, time.monotonic()

    def update(self, done):
        if not self.stream:
            return
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0
        left = (self.total - done) / rate if rate else 0
        filled = self.WIDTH * done // self.total
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:,}/{self.total:,} {rate:,.0f}/s, {left:.0f} s left "
        )
        self.stream.flush()

    def finish(self):
        if self.stream:
            self.stream.write("\n")
