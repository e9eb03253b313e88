from django.apps import AppConfig


class AsmConfig(AppConfig):
    name = "boroughhub.asm"
    label = "asm"
    verbose_name = "Attack surface mapping"
