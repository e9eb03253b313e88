"""Overdue updates: a register where nobody is asked to update a project fills with the forgotten.

Each project states how often it reports (its update interval in days). A live project whose last
update (or, before the first, its start in the register) is older than that is overdue; closed,
stopped and paused projects are not expected to report. "Now" is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .stages import FINAL, Stage


@dataclass(frozen=True)
class UpdateDue:
    due_at: datetime
    overdue: bool
    days_overdue: int


def update_due(stage: Stage, created_at: datetime, last_update_at: datetime | None, interval_days: int,
               now: datetime) -> UpdateDue | None:
    """When the next update is due and whether it is late; None when the project is not expected to report."""
    if stage in FINAL or stage is Stage.PAUSED:
        return None
    if interval_days < 1:
        raise ValueError("An update interval is at least one day.")
    since = last_update_at or created_at
    due_at = since + timedelta(days=interval_days)
    late = now - due_at
    return UpdateDue(due_at, late > timedelta(0), max(late.days, 0))
