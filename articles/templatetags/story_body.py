from django import template
from django.utils.safestring import mark_safe

from .. import embeds

register = template.Library()


@register.filter
def with_embeds(html):
    """Sanitized body HTML with each stored embed shown as its click-to-load facade."""
    return mark_safe(embeds.render_stored(html))  # noqa: S308 (the body was sanitized on save)
