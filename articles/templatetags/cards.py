from django import template
from django.utils.safestring import mark_safe

from pagecache import fragments

from ..models import Article

register = template.Library()

CARD = "articles/includes/card.html"


def card_key(prefix, story):
    """``fragments.key("card", ...)``, from its ``fragments.prefix("card")``: pages make dozens of these.

    One fragment per story holds each form its card was rendered in ({(large, hide_section,
    first_on_screen): html}), so that a page looks up its cards by story, whatever their forms.
    """
    # A card shows the comment count only where the page counted them (comment_counts).
    return f"{prefix}:{story.pk}:{getattr(story, 'approved_comment_count', '')}"


def card_tags(story):
    """What a card shows: its story (whose bylines and lead photo are the story's, so its other tags change
    only with it), the authors, the photo, and the comment count where the page counted them: a related
    story's card, which shows none, must not go stale with every comment approved under that story."""
    counted = [f"comments:{story.pk}"] if hasattr(story, "approved_comment_count") else []
    return [*story.shown_tags(), *counted]


def with_card_columns(request, stories):
    """{pk: story} of these stories as cards show them: those read ``for_cards`` are read again
    ``for_listing``, in one go, with what the page gave them (their comment counts), and kept for the
    page's later lists."""
    full = request.__dict__.setdefault("card_stories", {}) if request is not None else {}
    for story in stories:
        if "bylines" in getattr(story, "_prefetched_objects_cache", {}):
            full.setdefault(story.pk, story)
    light = {story.pk: story for story in stories if story.pk not in full}
    if light:
        full.update(Article.objects.for_listing().in_bulk(light))
        for pk, story in light.items():
            if pk in full and hasattr(story, "approved_comment_count"):
                full[pk].approved_comment_count = story.approved_comment_count
    return full


@register.simple_tag(takes_context=True)
def cards(context, stories, hide_section=None, large_first=False, first_on_screen=0):
    """The cards of these stories (card.html), kept as fragments; the first ``first_on_screen`` of them load
    their photos at once (they are on a phone's first screen), the others lazily.

    The page's first list also looks up the cards of every other story the
    view said the page shows (``articles.views.shows``): the whole page's
    cards cost one cache read. Only the stories of
    cards not kept are read whole, bylines and photo included. Run
    ``comment_counts`` first: a card shows its story's count.
    ``hide_section`` defaults to the including template's.
    """
    request = context.get("request")
    hide_section = bool(context.get("hide_section") if hide_section is None else hide_section)
    prefix = fragments.prefix("card")
    others = request.__dict__.pop("shown_stories", ()) if request is not None else ()
    fragments.expect(request, [card_key(prefix, story) for story in others])
    shown = [
        (card_key(prefix, story), story, (large_first and number == 0, hide_section, number < first_on_screen))
        for number, story in enumerate(stories)
    ]
    # {key: {form: html}} of the page's cards, found or rendered (a story's card can show in several lists).
    forms = request.__dict__.setdefault("card_forms", {}) if request is not None else {}
    for key, found in fragments.find(request, [key for key, _, _ in shown]).items():
        forms.setdefault(key, dict(found))
    missing = [story for key, story, form in shown if form not in forms.get(key, {})]
    if missing:
        # The page's other stories with no card kept will be rendered too: read with these.
        kept = fragments.kept_keys(request)
        full = with_card_columns(
            request, [*missing, *(story for story in others if card_key(prefix, story) not in kept)]
        )
        card = context.template.engine.get_template(CARD)
        for key, story, form in shown:
            if form not in forms.get(key, {}) and story.pk in full:
                story = full[story.pk]
                large, _, first = form
                with context.push(story=story, large=large, hide_section=hide_section, first_on_screen=first):
                    forms.setdefault(key, {})[form] = card.render(context)
                fragments.keep(request, key, forms[key], card_tags(story))
    return mark_safe("".join(forms.get(key, {}).get(form, "") for key, _, form in shown))  # rendered templates
