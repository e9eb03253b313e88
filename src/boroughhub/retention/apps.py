from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "boroughhub.retention"
    label = "retention"
    verbose_name = "Retention"
