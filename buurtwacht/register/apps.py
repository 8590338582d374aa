from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "buurtwacht.register"
    label = "register"
