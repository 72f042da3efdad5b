from django.apps import AppConfig

from newsdesk.text import clean_text_on_save


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = "Photo library"

    def ready(self):
        clean_text_on_save(self)
