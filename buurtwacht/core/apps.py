from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "buurtwacht.core"
    label = "core"
