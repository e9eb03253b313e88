from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "boroughhub.people"
    label = "people"
    verbose_name = "People: invitations"
