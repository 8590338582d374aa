from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "buurtwacht.realtime"
    label = "realtime"
