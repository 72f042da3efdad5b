from collections import defaultdict

# Levels of nesting shown. Deeper replies continue, in thread order, at the
# last level, each still saying which comment it answers; this keeps narrow
# screens readable and template recursion shallow however long a thread runs.
MAX_DEPTH = 4


def build_thread(comments):
    """Nest a flat, oldest-first list of comments; return the top level.

    Each comment gets ``thread_replies`` (what to show under it) and
    ``parent_comment`` (the comment it answers, or None if that one is not
    shown, e.g. taken down: the reply then stands at the top level).
    """
    by_id = {comment.pk: comment for comment in comments}
    children = defaultdict(list)
    top = []
    for comment in comments:
        comment.thread_replies = []
        comment.parent_comment = by_id.get(comment.parent_id)
        if comment.parent_comment is None:
            top.append(comment)
        else:
            children[comment.parent_id].append(comment)
    for comment in top:
        _nest(comment, children, depth=1)
    return top


def _nest(comment, children, depth):
    if depth + 1 < MAX_DEPTH:
        comment.thread_replies = children[comment.pk]
        for reply in comment.thread_replies:
            _nest(reply, children, depth + 1)
    else:
        comment.thread_replies = _descendants(comment, children)


def _descendants(comment, children):
    """All replies under a comment, depth first, oldest first at each level."""
    found, stack = [], list(reversed(children[comment.pk]))
    while stack:
        reply = stack.pop()
        found.append(reply)
        stack.extend(reversed(children[reply.pk]))
    return found
