"""Whole pages for anonymous readers, kept in the shared cache until what they show changes.

This app knows no model. Views say which pages are the same for every
reader (``@public_page``); apps say when what those pages show has changed
(``invalidate_pages``, or the ``ShownOnPages`` mixins on their models) and
how long a page may be kept at most (``register_expiry``).
"""
