from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "boroughhub.submissions"
    label = "submissions"
