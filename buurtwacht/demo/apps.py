from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "buurtwacht.demo"
    label = "demo"
