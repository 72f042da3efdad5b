from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "standin.base"
    label = "base"
