from django.apps import AppConfig


class MunicipalityConfig(AppConfig):
    name = "buurtwacht.municipality"
    label = "municipality"
