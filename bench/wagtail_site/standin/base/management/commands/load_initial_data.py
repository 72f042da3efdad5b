"""Fill an empty database with the stand-in's content, sized like the Wagtail demo site's.

A home page with hero, promo and three featured sections; a blog of eight posts (two authors,
three tags and a body of eleven blocks each); twelve breads and six locations; 30 generated photos.
"""

import datetime
import io
import random

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from standin.base.models import FooterText, HomePage, IndexPage, Person, StandardPage
from standin.blog.models import BlogIndexPage, BlogPage, BlogPersonRelationship

WORDS = [
    "flour",
    "water",
    "salt",
    "yeast",
    "crust",
    "crumb",
    "oven",
    "dough",
    "rise",
    "knead",
    "proof",
    "bake",
    "loaf",
    "rye",
    "wheat",
    "sourdough",
    "starter",
    "butter",
    "sugar",
    "honey",
    "seed",
    "grain",
    "mill",
    "village",
    "market",
    "morning",
    "bakery",
    "recipe",
    "family",
    "tradition",
    "warm",
]


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text.capitalize() + "."


def paragraph(rng, link_to=None):
    sentences = [sentence(rng) for _ in range(5)]
    if link_to:
        sentences[2] = f'See <a linktype="page" id="{link_to.pk}">{link_to.title}</a> as well.'
    sentences[4] = f'Read more on <a href="https://example.org/{rng.choice(WORDS)}">the history</a> of it.'
    return RichText("<p>" + " <b>".join(sentences[:2]) + "</b> " + " ".join(sentences[2:]) + "</p>")


def photo(rng, number):
    """A 1600×1000 JPEG of blocks of colour: something to crop and scale, not a flat image."""
    picture = PILImage.new("RGB", (1600, 1000))
    for x in range(0, 1600, 100):
        for y in range(0, 1000, 100):
            colour = tuple(rng.randrange(256) for _ in range(3))
            picture.paste(colour, (x, y, x + 100, y + 100))
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=85)
    return Image.objects.create(title=f"Photo {number}", file=ImageFile(data, name=f"photo-{number}.jpg"))


def body(rng, images, link_to):
    blocks = [("heading_block", {"heading_text": sentence(rng, 4), "size": "h2"})]
    for n in range(4):
        blocks.append(("paragraph_block", paragraph(rng, link_to if n == 0 else None)))
        blocks.append(("paragraph_block", paragraph(rng)))
    blocks.insert(
        3, ("image_block", {"image": rng.choice(images), "caption": sentence(rng, 6), "attribution": "Stand-in"})
    )
    blocks.insert(6, ("block_quote", {"text": sentence(rng, 16), "attribute_name": "A baker"}))
    return blocks


class Command(BaseCommand):
    help = "Load the stand-in site's demo content into an empty, migrated database."

    def handle(self, *args, **options):
        rng = random.Random(8)
        Site.objects.all().delete()
        Page.objects.filter(depth__gt=1).delete()
        root = Page.get_first_root_node()
        images = [photo(rng, n) for n in range(30)]
        people = [
            Person.objects.create(first_name=first, last_name=last, job_title=job, image=rng.choice(images))
            for first, last, job in [
                ("Robin", "Baker", "Editor"),
                ("Sam", "Miller", "Director"),
                ("Alex", "Rye", "Designer"),
                ("Jo", "Crumb", "Assistant editor"),
            ]
        ]
        FooterText.objects.create(body="<p>Copyright <b>The stand-in bakery</b>. All rights reserved.</p>")
        home = root.add_child(
            instance=HomePage(
                title="Welcome to the stand-in bakery",
                slug="home",
                image=images[0],
                hero_text="Bread as our grandparents made it",
                hero_cta="Our story",
                promo_image=images[1],
                promo_title="Fresh every morning",
                promo_text=str(paragraph(rng)),
            )
        )
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        blog = home.add_child(
            instance=BlogIndexPage(
                title="Blog", slug="blog", introduction=sentence(rng), image=images[2], show_in_menus=True
            )
        )
        sections = {}
        for title, count in (("Breads", 12), ("Locations", 6)):
            index = home.add_child(
                instance=IndexPage(
                    title=title,
                    slug=title.lower(),
                    introduction=sentence(rng),
                    image=rng.choice(images),
                    show_in_menus=True,
                )
            )
            for n in range(count):
                index.add_child(
                    instance=StandardPage(
                        title=f"{title[:-1]} {n + 1}",
                        introduction=sentence(rng, 20),
                        image=rng.choice(images),
                        body=body(rng, images, home),
                    )
                )
            sections[title] = index
        home.add_child(
            instance=StandardPage(
                title="About", slug="about", introduction=sentence(rng), image=images[3], show_in_menus=True
            )
        )
        for n in range(8):
            post = blog.add_child(
                instance=BlogPage(
                    title=f"Notes from the bakery, part {n + 1}",
                    subtitle=sentence(rng, 6),
                    introduction=sentence(rng, 24),
                    image=rng.choice(images),
                    body=body(rng, images, sections["Breads"]),
                    date_published=datetime.date(2024, 1, 1) + datetime.timedelta(days=30 * n),
                )
            )
            for order, person in enumerate(rng.sample(people, 2)):
                BlogPersonRelationship.objects.create(page=post, person=person, sort_order=order)
            post.tags.add(*rng.sample(["bread", "baking", "flour", "recipes", "history", "travel"], 3))
            post.save()
        home.hero_cta_link = blog
        home.featured_section_1_title, home.featured_section_1 = "Latest from the blog", blog
        home.featured_section_2_title, home.featured_section_2 = "Our breads", sections["Breads"]
        home.featured_section_3_title, home.featured_section_3 = "Where to find us", sections["Locations"]
        home.body = body(rng, images, blog)
        home.save()
        self.stdout.write(f"Loaded {Page.objects.count()} pages and {len(images)} images.")
