from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from articles.caching import invalidate_pages


def pages_changed(**kwargs):
    invalidate_pages()


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"

    def ready(self):
        """Stored story pages show comments and the form: they go stale when either changes."""
        for name in ("Comment", "CommentSettings"):
            model = self.get_model(name)
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{name}-saved")
            post_delete.connect(pages_changed, sender=model, dispatch_uid=f"pages-{name}-deleted")
