"""The retention job as a background task: schedule it daily (docs/operator-guide.md, "Retention")."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from boroughhub.retention.store import run_retention


@task()
def enforce_retention() -> dict[str, Any]:
    """Delete everything whose ``hub_retention`` clause has run out; run daily, like the reminders."""
    run = run_retention()
    return {"deleted": len(run.deleted), "rows": run.rows_deleted, "rewritten": run.rewritten}
