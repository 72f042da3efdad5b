import functools

from django import template
from django.db.models import QuerySet
from django.utils.html import format_html_join
from django.utils.translation import pgettext

from articles.models import Article
from pagecache.pages import is_personal, tag

from ..awaiting import own_pending_ids
from ..forms import FLAG_CHOICES, CommentForm
from ..models import Comment, CommentSettings
from ..threads import build_thread

register = template.Library()


@register.inclusion_tag("comments/comments.html", takes_context=True)
def comments_for(context, article):
    """A story's comments section: thread, count, policy notice and form, in two queries.

    The thread and count are read only when they are rendered: not while every
    reader sees the same ones (none has a comment of their own awaiting
    moderation, nor a token in the page) and they are kept as a fragment.
    """
    request = context.get("request")
    own_pending = own_pending_ids(request)
    with_token = request is not None and is_personal(request)
    shown = functools.cache(lambda: list(Comment.objects.shown_on(article, own_pending)))
    refusal = CommentSettings.for_story_page(article, request).refusal(article)
    reply_to = None
    form = None
    if not refusal:
        wanted = _int(request.GET.get("reply_to")) if request else None
        if wanted is not None:
            reply_to = next((c for c in shown() if c.pk == wanted and c.is_approved), None)
        form = CommentForm(article=article, initial={"parent": reply_to.pk} if reply_to else None)
    return {
        "article": article,
        "thread": functools.cache(lambda: build_thread(shown())),
        "count": lambda: sum(comment.is_approved for comment in shown()),
        # Shared by every reader: the fragment's tags; None keeps a reader's own view out of it.
        "thread_tags": None if own_pending or with_token else [f"comments:{article.pk}"],
        "form": form,
        "reply_to": reply_to,
        "refusal": refusal,
        # Rendered once here, not once per comment: long threads stay quick to render.
        "flag_options": format_html_join("", '<option value="{}">{}</option>', FLAG_CHOICES),
        # A page only this reader sees may carry their token; the shared page gets it through JavaScript.
        "with_token": with_token,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.filter
def full_stop(sentence):
    """The full stop a sentence ending in this text needs: none after "Farid N." or "Really?"."""
    return "" if str(sentence).rstrip().endswith((".", "!", "?", "…", "۔", "؟")) else pgettext("end of a sentence", ".")


@register.simple_tag(takes_context=True)
def comment_counts(context, *collections):
    """Give every story in these lists (or lists of pairs) its ``approved_comment_count``, in one query.

    Use it once at the top of a page of story cards; the cards then show the
    count without a query each, and the page goes stale when a count changes.
    """
    stories = [story for story in _stories(collections) if not hasattr(story, "approved_comment_count")]
    if context.get("request") is not None:
        tag(context["request"], *(f"comments:{story.pk}" for story in stories))
    if stories:
        counts = Comment.objects.approved_counts({story.pk for story in stories})
        for story in stories:
            story.approved_comment_count = counts.get(story.pk, 0)
    return ""


def _stories(items):
    for item in items:
        if isinstance(item, Article):
            yield item
        elif isinstance(item, list | tuple | QuerySet):
            yield from _stories(item)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
