from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "boroughhub.insights"
    label = "insights"
