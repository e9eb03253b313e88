"""Background work of the evaluation room (django-tasks; ``boroughhub worker`` runs it)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .run_evaluation import evaluate_stored_run
from .store import run_store


@task()
def evaluate_uploaded_run(run_id: str, formats: list[str]) -> str:
    """Evaluate an uploaded spec kept as a run; its page follows the progress."""
    return evaluate_stored_run(run_store(), run_id, formats, timezone.now).status.value
