from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from newsdesk.text import clean_text_on_save


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        clean_text_on_save(self)
