from django.apps import AppConfig

from newsdesk.text import clean_text_on_save


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"

    def ready(self):
        clean_text_on_save(self)
