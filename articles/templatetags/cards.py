import itertools

from django import template
from django.utils.safestring import mark_safe

from pagecache import fragments

register = template.Library()

CARD = "articles/includes/card.html"


def card_key(prefix, story, large, hide_section, first_on_screen):
    """``fragments.key("card", ...)``, from its ``fragments.prefix("card")``: pages make hundreds of these."""
    # A card shows the comment count only where the page counted them (comment_counts).
    count = getattr(story, "approved_comment_count", "")
    return f"{prefix}:{story.pk}:{int(large)}:{int(hide_section)}:{int(first_on_screen)}:{count}"


def card_tags(story):
    return [*story.shown_tags(), f"comments:{story.pk}"]


@register.simple_tag(takes_context=True)
def cards(context, stories, hide_section=None, large_first=False, first_on_screen=0):
    """The cards of these stories (card.html), kept as fragments; the first ``first_on_screen`` of them load
    their photos at once (they are on a phone's first screen), the others lazily.

    The page's first list also looks up the cards of every other story the
    view said the page shows (``articles.views.shows``), in each of their
    forms: the whole page's cards cost one cache read. Run ``comment_counts``
    first: a card shows its story's count. ``hide_section`` defaults to the
    including template's.
    """
    request = context.get("request")
    hide_section = bool(context.get("hide_section") if hide_section is None else hide_section)
    prefix = fragments.prefix("card")
    if request is not None:
        others = request.__dict__.pop("shown_stories", ())
        variants = list(itertools.product((False, True), repeat=3))  # large, hide_section, first_on_screen
        expected = {}
        for story in others:
            tags = card_tags(story)
            expected.update((card_key(prefix, story, *variant), tags) for variant in variants)
        fragments.expect(request, expected)
    card = context.template.engine.get_template(CARD)

    def render(story, large, first):
        with context.push(story=story, large=large, hide_section=hide_section, first_on_screen=first):
            return card.render(context)

    pieces = [
        (
            card_key(prefix, story, large, hide_section, first),
            card_tags(story),
            lambda story=story, large=large, first=first: render(story, large, first),
        )
        for story, large, first in (
            (story, large_first and number == 0, number < first_on_screen) for number, story in enumerate(stories)
        )
    ]
    return mark_safe("".join(fragments.render_many(request, pieces)))  # rendered templates
