"""Background jobs of agreements: the clock-driven transitions and the daily reminders (spec §2.2, §2.7)."""

from __future__ import annotations

from django_tasks import task

from boroughhub.agreements.store.lifecycle import run_scheduled_transitions
from boroughhub.agreements.store.reminders import send_due_reminders


@task()
def move_versions_by_the_clock() -> list[str]:
    """T10, T11, T12: run every minute (expiry and supersession at the instant they took effect)."""
    return run_scheduled_transitions()


@task()
def send_reminders() -> int:
    """Reviews, expiry and pending signatures: run daily at 09:00 London."""
    return len(send_due_reminders())
