from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "boroughhub.linkage"
    label = "linkage"
