from django.apps import AppConfig
from django.core import checks
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


def tags_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """Tags are set apart from the story's save (the admin sets them after it), so they say so themselves:
    the story's pages and the tags' pages. What ``clear()`` removes is known only before it does."""
    from pagecache.invalidation import invalidate

    if action == "pre_clear":
        related = instance.articles if reverse else instance.tags
        instance._cleared_pks = set(related.values_list("pk", flat=True))
        return
    if not action.startswith("post_"):
        return
    pks = instance.__dict__.pop("_cleared_pks", set()) if action == "post_clear" else pk_set
    own, other = ("tag", "story") if reverse else ("story", "tag")
    invalidate([f"{own}:{instance.pk}", *(f"{other}:{pk}" for pk in pks)], using)


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from newsdesk.text import clean_text_on_save
        from pagecache.pages import register_expiry

        from . import desk, revisions  # noqa: F401 (desk registers its panels)
        from .checks import (
            embed_players_allowed_by_csp,
            search_index_follows_language,
            section_slugs_clash_with_site_paths,
        )
        from .curation import seconds_until_banner_expires
        from .fts import register_functions, restore_triggers
        from .models import Article

        checks.register(section_slugs_clash_with_site_paths, checks.Tags.database)
        checks.register(search_index_follows_language, checks.Tags.database)
        checks.register(embed_players_allowed_by_csp, checks.Tags.security)
        register_expiry(Article.objects.seconds_until_next_go_live)
        register_expiry(seconds_until_banner_expires)
        m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="pages-article-tags")
        clean_text_on_save(self)
        revisions.register()
        connection_created.connect(register_functions, dispatch_uid="articles-sqlite-functions")
        post_migrate.connect(restore_triggers, sender=self, dispatch_uid="articles-fts-triggers")
