import datetime

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def duration(delta):
    """A timedelta in words ("1 hour", "30 minutes"), as ``timesince`` words the past."""
    now = datetime.datetime.now(datetime.UTC)
    return timesince(now - delta, now)
