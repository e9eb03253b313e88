from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "boroughhub.fund"
    label = "fund"
    verbose_name = "Innovation fund"
