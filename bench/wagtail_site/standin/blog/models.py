"""Blog posts with authors, tags and a body of blocks, and the index that lists them."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from standin.base.blocks import BodyBlock


class BlogPersonRelationship(Orderable):
    page = ParentalKey("BlogPage", related_name="blog_person_relationship", on_delete=models.CASCADE)
    person = models.ForeignKey("base.Person", related_name="+", on_delete=models.CASCADE)


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPage(Page):
    introduction = models.TextField(blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = StreamField(BodyBlock(), blank=True)
    subtitle = models.CharField(blank=True, max_length=255)
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)
    date_published = models.DateField(blank=True, null=True)

    def authors(self):
        """The live authors, in their order on the post."""
        relations = self.blog_person_relationship.filter(person__live=True).select_related("person")
        return [relation.person for relation in relations]

    def get_tags(self):
        """The post's tags, each with the address of the index's listing of it."""
        base_url = self.get_parent().url
        tags = list(self.tags.all())
        for tag in tags:
            tag.url = f"{base_url}tags/{tag.slug}/"
        return tags


class BlogIndexPage(Page):
    introduction = models.TextField(blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def children(self):
        return self.get_children().specific().live()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["posts"] = BlogPage.objects.descendant_of(self).live().order_by("-date_published")
        return context
