from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "buurtwacht.alerts"
    label = "alerts"
