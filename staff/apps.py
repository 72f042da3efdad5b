from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff accounts")

    def ready(self):
        from django.contrib import admin

        from . import signals  # noqa: F401  (connects the login audit)
        from .forms import StaffLoginForm

        # The admin's own login page, asking also for the code of those who set up two-factor.
        admin.site.login_form = StaffLoginForm
        admin.site.login_template = "staff/login.html"
