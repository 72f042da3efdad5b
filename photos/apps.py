from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from newsdesk.text import clean_text_on_save


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = _("Photo library")

    def ready(self):
        import reversion

        from .models import Photo

        clean_text_on_save(self)
        # The words under a photo have revisions; the file and its crops are the photo itself.
        reversion.register(Photo, fields=["caption", "credit", "alt_text"])
