from django.apps import AppConfig


class SignageConfig(AppConfig):
    name = "buurtwacht.signage"
    label = "signage"
