"""The database side of recovery: read django-tasks-db's RUNNING tasks, put back or fail the orphans.

Every recovery is logged (logger ``boroughhub.jobs``). It is not written to the audit log: that log
records decisions on data and access to it (agreements spec §4.2), and a task that is run again asks
the agreements again and is audited then, like the first time.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import SuspiciousOperation
from django_tasks_db.compat import TaskResultStatus, task_finished
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .recovery import (
    MAX_ATTEMPTS,
    Action,
    Recovery,
    RunningTask,
    WorkerLost,
    WorkerState,
    plan_recovery,
    sweep_stale_locks,
    worker_state,
)

logger = logging.getLogger(__name__)


def running_tasks(backend_name: str) -> list[RunningTask]:
    rows = DBTaskResult.objects.running().filter(backend_name=backend_name).order_by("started_at")
    return [RunningTask(str(row.id), row.task_path, tuple(row.worker_ids or ())) for row in rows]


def apply_recovery(recovery: Recovery) -> bool:
    """Put the task back (READY) or fail it, if it is still RUNNING under the same claims; returns
    whether it changed (another worker starting at the same moment may have recovered it first)."""
    if recovery.action is Action.LEAVE:
        return False
    with exclusive_transaction(DBTaskResult.objects.db):
        row = (DBTaskResult.objects.select_for_update()
               .filter(pk=recovery.task.task_id, status=TaskResultStatus.RUNNING).first())
        if row is None or tuple(row.worker_ids or ()) != recovery.task.worker_ids:
            return False
        if recovery.action is Action.REQUEUE:
            row.status = TaskResultStatus.READY
            row.started_at = None
            row.save(update_fields=["status", "started_at"])
        else:
            row.set_failed(WorkerLost(recovery.reason))
    if recovery.action is Action.FAIL:
        _announce_failure(row)
    return True


def _announce_failure(row: DBTaskResult) -> None:
    """Send django-tasks' ``task_finished``, as db_worker does for a task that fails in its hands."""
    try:
        sender = type(row.task.get_backend())
        result = row.task_result
    except (ImportError, SuspiciousOperation):
        logger.exception("Task %s can no longer be loaded", row.id)
        return
    task_finished.send(sender=sender, task_result=result)


def recover_orphaned_tasks(
    *, backend_name: str, lock_dir: Path, this_host: str, max_attempts: int = MAX_ATTEMPTS
) -> list[Recovery]:
    """Put back (or fail) every RUNNING task whose worker is gone; returns the recoveries applied."""
    plans = plan_recovery(
        running_tasks(backend_name), lambda worker_id: worker_state(worker_id, lock_dir, this_host), max_attempts
    )
    applied = []
    for plan in plans:
        task = plan.task
        if plan.action is Action.LEAVE:
            if plan.worker_state is WorkerState.UNKNOWN:
                logger.warning("Task %s (%s) is left RUNNING: %s.", task.task_id, task.task_path, plan.reason)
            continue
        if not apply_recovery(plan):
            continue
        applied.append(plan)
        if plan.action is Action.REQUEUE:
            logger.warning("Recovered task %s (%s): %s.", task.task_id, task.task_path, plan.reason)
        else:
            logger.error("Failed task %s (%s): %s.", task.task_id, task.task_path, plan.reason)
    sweep_stale_locks(lock_dir)
    return applied
