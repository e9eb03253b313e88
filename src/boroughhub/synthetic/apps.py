from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "boroughhub.synthetic"
    label = "synthetic"
