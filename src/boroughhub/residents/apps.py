from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "boroughhub.residents"
    label = "residents"
    verbose_name = "Who else is involved"
    default_auto_field = "django.db.models.BigAutoField"
