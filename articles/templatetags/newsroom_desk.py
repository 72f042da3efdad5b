from django import template

from newsdesk.desk import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_panels(context):
    """The panels of the admin's front page for the user looking at it."""
    return panels_for(context["request"])
