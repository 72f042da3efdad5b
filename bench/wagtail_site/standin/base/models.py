"""Pages and snippets of the stand-in: a home page with featured sections, plain pages and their indexes."""

from django.db import models
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from .blocks import BodyBlock


def image_field(help_text=""):
    return models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text=help_text
    )


def page_field():
    return models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


@register_snippet
class Person(models.Model):
    first_name = models.CharField(max_length=254)
    last_name = models.CharField(max_length=254)
    job_title = models.CharField(max_length=254)
    image = image_field()
    live = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


@register_snippet
class FooterText(models.Model):
    body = RichTextField()
    live = models.BooleanField(default=True)

    def __str__(self):
        return "Footer text"


class StandardPage(Page):
    introduction = models.TextField(blank=True)
    image = image_field()
    body = StreamField(BodyBlock(), blank=True)


class IndexPage(Page):
    """A section of the site that lists its live children (breads, locations)."""

    introduction = models.TextField(blank=True)
    image = image_field()

    def children(self):
        return self.get_children().specific().live()


class HomePage(Page):
    image = image_field()
    hero_text = models.CharField(max_length=255)
    hero_cta = models.CharField(max_length=255)
    hero_cta_link = page_field()
    body = StreamField(BodyBlock(), blank=True)
    promo_image = image_field()
    promo_title = models.CharField(blank=True, max_length=255)
    promo_text = RichTextField(blank=True)
    featured_section_1_title = models.CharField(blank=True, max_length=255)
    featured_section_1 = page_field()
    featured_section_2_title = models.CharField(blank=True, max_length=255)
    featured_section_2 = page_field()
    featured_section_3_title = models.CharField(blank=True, max_length=255)
    featured_section_3 = page_field()
