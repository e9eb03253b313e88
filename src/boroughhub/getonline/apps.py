from django.apps import AppConfig


class GetOnlineConfig(AppConfig):
    name = "boroughhub.getonline"
    label = "getonline"
    verbose_name = "Get Online London"
