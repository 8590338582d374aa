from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "buurtwacht.geo"
    label = "geo"
