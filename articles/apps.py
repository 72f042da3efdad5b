from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


def tags_changed(sender, instance, action, using, **kwargs):
    """Tags are set apart from the story's save (the admin sets them after it), so they say so themselves."""
    if action.startswith("post_"):
        from pagecache.invalidation import invalidate_pages

        invalidate_pages(using)


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from newsdesk.text import clean_text_on_save
        from pagecache.pages import register_expiry

        from . import desk, revisions  # noqa: F401 (desk registers its panels)
        from .checks import search_index_follows_language, section_slugs_clash_with_site_paths
        from .models import Article

        checks.register(section_slugs_clash_with_site_paths, checks.Tags.database)
        checks.register(search_index_follows_language, checks.Tags.database)
        register_expiry(Article.objects.seconds_until_next_go_live)
        m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="pages-article-tags")
        clean_text_on_save(self)
        revisions.register()
