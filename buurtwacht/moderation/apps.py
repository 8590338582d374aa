from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "buurtwacht.moderation"
    label = "moderation"
