from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "boroughhub.organisations"
    label = "organisations"
