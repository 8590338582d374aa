from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "buurtwacht.bulletin"
    label = "bulletin"
