from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "buurtwacht.notify"
    label = "notify"
