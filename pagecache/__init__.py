"""Whole pages for anonymous readers, kept in the shared cache and at the edge until what they show changes.

This app knows no model. Views say which pages are the same for every
reader (``@public_page``) and what each shows, as tags (``tag(request,
"story:12")``); apps say when what a tag names has changed (``invalidate``,
``invalidate_site`` for every page, or the ``ShownOnPages`` mixins on their
models, whose ``changed_tags()`` name the tags), and how long a page may be
kept at most (``register_expiry``). Edge caches are purged by the same tags
(``edge.py``).
"""
