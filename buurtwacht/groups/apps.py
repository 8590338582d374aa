from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "buurtwacht.groups"
    label = "groups"
