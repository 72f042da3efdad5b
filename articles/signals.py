"""Whatever readers see of a story changes: stored pages go stale (see caching.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .caching import invalidate_pages
from .models import AlsoRead, Article, Author, Byline, Correction, Photo, Section, SlugRedirect, Tag

SHOWN_ON_PAGES = (Article, Byline, AlsoRead, Correction, Section, Tag, Author, Photo, SlugRedirect)


def pages_changed(**kwargs):
    invalidate_pages()


def connect():
    for model in SHOWN_ON_PAGES:
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-saved")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-deleted")
    m2m_changed.connect(pages_changed, sender=Article.tags.through, dispatch_uid="pages-article-tags")
