import math

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article

from .abuse import ip_hash, limited_address, over_limit
from .awaiting import remember_pending
from .forms import CommentForm, FlagForm
from .models import Comment, CommenterBanned, CommentSettings, DuplicateComment, Flag
from .notifications import email_from_token

AWAITING_MODERATION = gettext_lazy(
    "Thank you. Your comment awaits moderation: readers will see it once a moderator has approved it."
)


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


def sent_from_this_site(request):
    """True or False when the browser says where a post comes from; None when it does not say.

    Browsers set ``Sec-Fetch-Site`` (and ``Origin``) on every form post and a
    page cannot forge either, so a post that says "same-origin", or whose
    origin is this site's own (or one in CSRF_TRUSTED_ORIGINS), was sent by a
    page of this site; anything else ("cross-site", "same-site" from a sibling
    subdomain, an "Origin: null" sandbox) was not.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin:
        own = f"{request.scheme}://{request.get_host()}"
        return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
    return None


@csrf_exempt
@require_POST
def post_comment(request, article_id):
    """Store a reader's comment, sent with one press of "Post comment", with or without JavaScript.

    The CSRF defence of this form is the browser's word on where the post
    comes from (``sent_from_this_site``), not a token. A token would have to
    sit in the story page, which every reader shares and caches (the site's
    and a CDN's) keep; without JavaScript to fetch one, each comment would take
    two presses. Checking ``Sec-Fetch-Site``/``Origin`` is an accepted CSRF
    defence (OWASP's CSRF cheat sheet; Django's own middleware checks Origin
    too) and is enough for an anonymous form: another site's page still cannot
    post here. A browser that sends neither header falls back to Django's
    token check, whose failure offers the comment back to be confirmed.
    """
    same_site = sent_from_this_site(request)
    if same_site is False:
        message = _(
            "This comment was sent from another site, so it was not posted. Please use the form under the story."
        )
        return render(request, "comments/refused.html", {"message": message}, status=403)
    if same_site is None:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, _token_checked, (), {})
        if refused is not None:
            return refused
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
    wait = limited_address(request, "post")
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
        messages.info(request, _("You have already posted this comment on this story, so it was not posted again."))
        return redirect(story_url(article))
    except CommenterBanned as banned:
        return render(request, "comments/refused.html", {"message": str(banned), "article": article}, status=403)
    if comment.is_approved:
        messages.success(request, _("Thank you. Your comment is published."))
        return redirect(story_url(article, f"comment-{comment.pk}"))
    if comment.status == Comment.Status.PENDING:
        remember_pending(request, comment)
    messages.success(request, AWAITING_MODERATION)
    return redirect(story_url(article))


def _token_checked(request):
    """Stands for a view that Django's CSRF middleware checks (post_comment itself is exempt)."""


@require_http_methods(["GET", "POST"])
def flag_comment(request, pk):
    """A reader's report of a comment: sent from the story's shared report form (comments.js), or, without
    JavaScript, from this view's own page, which each comment's "Report" link opens (GET)."""
    comment = get_object_or_404(Comment.objects.approved().select_related("article__section"), pk=pk)
    if request.method == "GET":
        return render(request, "comments/flag_form.html", {"comment": comment, "form": FlagForm()})
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(comment)
    wait = limited_address(request, "flag")
    if wait:
        return rate_limited(request, wait, comment.article)
    outcome = Flag.objects.report(comment, ip_hash(request), form.cleaned_data["reason"])
    if outcome == Flag.Outcome.ALREADY:
        messages.info(request, _("You have already reported this comment; a moderator will look at it."))
    else:
        messages.success(request, _("Thank you for your report. A moderator will look at this comment."))
    return redirect(comment)


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    """Stop a reader's notification emails: one click in the email, confirmed by a button press.

    GET only shows the button, as mail scanners open links; POST unsubscribes,
    and is what a mail client's one-click button sends (RFC 8058), from no
    page of this site and so without a CSRF token: the signed token is the
    proof, and unsubscribing is all it can do.
    """
    email = email_from_token(token)
    if email is None:
        message = _("This unsubscribe link is not valid; please use the link from your latest email.")
        return render(request, "comments/refused.html", {"message": message}, status=400)
    done = request.method == "POST"
    if done:
        Comment.objects.filter(email=email, notify=True).update(notify=False)
    return render(request, "comments/unsubscribe.html", {"email": email, "done": done})


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
            context = {"comment": comment, "form": form, "confirm": True}
            return render(request, "comments/flag_form.html", context, status=403)
    return csrf.csrf_failure(request, reason)


def _resubmitted(request, fields):
    return {name: request.POST[name] for name in fields if name in request.POST}


def faq(request):
    return render(
        request,
        "comments/faq.html",
        {
            "comment_settings": CommentSettings.load(),
            "max_length": settings.COMMENTS_MAX_LENGTH,
            "max_links": settings.COMMENTS_MAX_LINKS,
        },
    )
