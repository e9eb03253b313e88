from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .clock import CLOCK_VARIABLE, clock_variable_set


class AuditConfig(AppConfig):
    name = "boroughhub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # A set clock dates entries at will: fine for a test or a demo step, never for the real log.
        if getattr(settings, "ENV", "") == "production" and clock_variable_set():
            raise ImproperlyConfigured(f"{CLOCK_VARIABLE} is set: production dates audit entries by its own clock. "
                                       f"Unset {CLOCK_VARIABLE}.")
