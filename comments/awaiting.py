"""The ids of comments this browser posted that await moderation, kept in its session, so that their
author (and nobody else) sees them under the story meanwhile."""

SESSION_KEY = "comments_awaiting"
# The newest ones are enough: a reader does not post more while waiting.
REMEMBERED = 20


def own_pending_ids(request):
    return request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []


def remember_pending(request, comment):
    request.session[SESSION_KEY] = [*own_pending_ids(request), comment.pk][-REMEMBERED:]
