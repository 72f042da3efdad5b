from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # Every app's jobs (``<app>/tasks.py``) are known before a worker starts, periodic ones included.
        autodiscover_modules("tasks")
