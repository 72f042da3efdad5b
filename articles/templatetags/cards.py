from django import template
from django.utils.safestring import mark_safe

from pagecache import fragments

register = template.Library()

CARD = "articles/includes/card.html"


@register.simple_tag(takes_context=True)
def cards(context, stories, hide_section=None, large_first=False):
    """The cards of these stories (card.html), kept as fragments: a list of cards costs one cache read.

    Run ``comment_counts`` on the stories first: a card shows its story's count. ``hide_section``
    defaults to the including template's.
    """
    hide_section = bool(context.get("hide_section") if hide_section is None else hide_section)
    card = context.template.engine.get_template(CARD)

    def render(story, large):
        with context.push(story=story, large=large, hide_section=hide_section):
            return card.render(context)

    pieces = [
        (
            # A card shows the comment count only where the page counted them (comment_counts).
            fragments.key(
                "card", story.pk, int(large), int(hide_section), getattr(story, "approved_comment_count", "")
            ),
            [*story.shown_tags(), f"comments:{story.pk}"],
            lambda story=story, large=large: render(story, large),
        )
        for large, story in ((large_first and number == 0, story) for number, story in enumerate(stories))
    ]
    return mark_safe("".join(fragments.render_many(context.get("request"), pieces)))  # rendered templates
