from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "buurtwacht.chat"
    label = "chat"
