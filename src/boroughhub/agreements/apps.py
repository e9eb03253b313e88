from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "boroughhub.agreements"
    label = "agreements"
