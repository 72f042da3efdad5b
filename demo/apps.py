from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and synthetic archives; no models, and no other app imports it."""

    name = "demo"
    verbose_name = "Demo content"
