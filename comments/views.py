import math

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.models import Article

from .abuse import client_ip, ip_hash, over_limit, rate_identity
from .forms import CommentForm, FlagForm
from .models import Comment, CommenterBanned, CommentSettings, DuplicateComment, Flag

AWAITING_MODERATION = "Thank you. Your comment awaits moderation: readers will see it once a moderator has approved it."
# Ids of the comments this browser posted that still await moderation, so that
# their author (and nobody else) sees them under the story meanwhile.
SESSION_KEY = "comments_awaiting"


def own_pending_ids(request):
    return request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []


def story_url(article, anchor="comments"):
    return f"{article.get_absolute_url()}#{anchor}"


def rate_limited(request, wait, article, text=""):
    """The friendly 429: how long to wait, and the reader's text so it is not lost."""
    response = render(
        request,
        "comments/rate_limited.html",
        {"article": article, "wait_minutes": math.ceil(wait / 60), "text": text},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.select_related("section"), pk=article_id)
    comment_settings = CommentSettings.for_story(article)
    refusal = comment_settings.refusal(article)
    if refusal:
        if not article.is_live:
            return render(request, "comments/refused.html", {"message": refusal}, status=403)
        messages.error(request, refusal)
        return redirect(story_url(article))
    form = CommentForm(request.POST, article=article)
    if form.is_bot():
        messages.success(request, AWAITING_MODERATION)
        return redirect(story_url(article))
    wait = over_limit("post-ip", rate_identity(client_ip(request)))
    if not wait and form.is_valid():
        wait = over_limit("post-email", form.cleaned_data["email"])
    if wait:
        return rate_limited(request, wait, article, request.POST.get("body", ""))
    if not form.is_valid():
        return render(request, "comments/post_form.html", {"article": article, "form": form}, status=400)
    comment = form.save(commit=False)
    comment.article = article
    comment.ip_hash = ip_hash(request)
    comment.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    try:
        comment.submit(comment_settings.story_mode)
    except DuplicateComment:
        messages.info(request, "You have already posted this comment on this story, so it was not posted again.")
        return redirect(story_url(article))
    except CommenterBanned as banned:
        return render(request, "comments/refused.html", {"message": str(banned), "article": article}, status=403)
    if comment.is_approved:
        messages.success(request, "Thank you. Your comment is published.")
        return redirect(story_url(article, f"comment-{comment.pk}"))
    if comment.status == Comment.Status.PENDING:
        request.session[SESSION_KEY] = [*own_pending_ids(request), comment.pk][-20:]
    messages.success(request, AWAITING_MODERATION)
    return redirect(story_url(article))


@require_POST
def flag_comment(request, pk):
    comment = get_object_or_404(Comment.objects.approved().select_related("article__section"), pk=pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(comment)
    wait = over_limit("flag-ip", rate_identity(client_ip(request)))
    if wait:
        return rate_limited(request, wait, comment.article)
    _, created = Flag.objects.get_or_create(
        comment=comment, ip_hash=ip_hash(request), defaults={"reason": form.cleaned_data["reason"]}
    )
    if created:
        messages.success(request, "Thank you for your report. A moderator will look at this comment.")
    else:
        messages.info(request, "You have already reported this comment; a moderator will look at it.")
    return redirect(comment)


@never_cache
def token(request):
    """A CSRF token for the forms under a story, fetched by JavaScript when a reader starts to use one.

    The story page itself carries no token, so every reader gets the same
    page and caches (the site's and a CDN's) can keep it.
    """
    return JsonResponse({"token": get_token(request)})


def csrf_failure(request, reason=""):
    """A comment or report sent without a valid token comes back to its author, to be sent again with one click.

    That happens when JavaScript is off (the story page carries no token) or
    the page was open for a long time. Nothing is stored until it returns with
    a token, so a forged request still achieves nothing.
    """
    match = request.resolver_match
    view_name = match.view_name if match else None
    if view_name == "comments:post":
        article = Article.objects.filter(pk=match.kwargs["article_id"]).select_related("section").first()
        if article is not None and article.is_live:
            form = CommentForm(article=article, initial=_resubmitted(request, CommentForm.Meta.fields))
            context = {"article": article, "form": form, "confirm": True}
            return render(request, "comments/post_form.html", context, status=403)
    elif view_name == "comments:flag":
        comment = Comment.objects.approved().select_related("article__section").filter(pk=match.kwargs["pk"]).first()
        if comment is not None:
            form = FlagForm(initial=_resubmitted(request, ["reason"]))
            return render(request, "comments/flag_form.html", {"comment": comment, "form": form}, status=403)
    return csrf.csrf_failure(request, reason)


def _resubmitted(request, fields):
    return {name: request.POST[name] for name in fields if name in request.POST}


def faq(request):
    return render(
        request,
        "flatpages/comments_faq.html",
        {
            "comment_settings": CommentSettings.load(),
            "max_length": settings.COMMENTS_MAX_LENGTH,
            "max_links": settings.COMMENTS_MAX_LINKS,
        },
    )
