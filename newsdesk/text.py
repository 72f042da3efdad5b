"""Text that people type or import: control characters out on the way in, XML-safe on the way out.

Control characters cannot be seen, are never meant, and XML 1.0 forbids most
of them: one vertical tab pasted into a headline once broke every feed.
"""

import re

from django.db import models
from django.db.models.signals import pre_save

# C0 and C1 control characters but tab, line feed and carriage return, and the two noncharacters
# XML 1.0 forbids (U+FFFE, U+FFFF) as well as lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")
# What XML 1.0 does not allow in a document at all (C1 characters are allowed there).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def is_number(text):
    """Digits 0-9 and nothing else: ``str.isdigit`` also says yes to "²", which ``int`` refuses, and "٣"."""
    return text.isascii() and text.isdigit()


def clean_text(value, multiline=True):
    """``value`` without control characters; a single-line value has tabs and line breaks as spaces."""
    value = _CONTROL.sub("", value)
    return value if multiline else _LINE_BREAKS.sub(" ", value)


def xml_safe(value):
    """Strings in ``value`` (nested in dicts, lists and tuples too) without what XML 1.0 forbids."""
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub("", value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(item) for item in value)
    return value


def strip_control_characters(sender, instance, **kwargs):
    """Every text field of a row about to be saved: TextFields keep their tabs and line breaks."""
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean_text(value, multiline=isinstance(field, models.TextField)))


def clean_text_on_save(app_config):
    """Called from an app's ready(): every save of its models goes through strip_control_characters,
    whichever form, admin, command or import it comes from."""
    for model in app_config.get_models():
        pre_save.connect(strip_control_characters, sender=model, dispatch_uid=f"clean-text-{model._meta.label}")
