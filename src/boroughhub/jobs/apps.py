from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "boroughhub.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
