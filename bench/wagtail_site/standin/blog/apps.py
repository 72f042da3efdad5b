from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "standin.blog"
    label = "blog"
