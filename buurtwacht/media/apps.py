from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "buurtwacht.media"
    label = "media"
