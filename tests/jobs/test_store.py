"""Recovery against django-tasks-db's table: orphans are put back or failed, live workers' tasks are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from boroughhub.jobs.recovery import Action, WorkerLock, new_worker_id
from boroughhub.jobs.store import recover_orphaned_tasks

HOST = "testhost"
pytestmark = pytest.mark.django_db


def _running(*worker_ids: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"marker": "x", "seconds": 1}}, task_path="tests.jobs.slow_tasks.slow_task",
        backend_name="default", status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=list(worker_ids),
    )


def _recover(lock_dir: Path, max_attempts: int = 3) -> list[Action]:
    recoveries = recover_orphaned_tasks(backend_name="default", lock_dir=lock_dir, this_host=HOST,
                                        max_attempts=max_attempts)
    return [r.action for r in recoveries]


def test_an_orphaned_task_is_put_back_and_a_live_workers_task_is_not(tmp_path: Path):
    live = new_worker_id(host=HOST)
    with WorkerLock(tmp_path, live):
        orphan = _running(new_worker_id(host=HOST))
        busy = _running(live)
        assert _recover(tmp_path) == [Action.REQUEUE]
        orphan.refresh_from_db()
        busy.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY and orphan.started_at is None
    assert busy.status == TaskResultStatus.RUNNING
    # Ready again, it is the one a db_worker would claim next.
    assert list(DBTaskResult.objects.ready()) == [orphan]


def test_a_task_that_keeps_killing_its_worker_is_failed_after_max_attempts(tmp_path: Path):
    task = _running(*(new_worker_id(host=HOST) for _ in range(3)))
    assert _recover(tmp_path, max_attempts=3) == [Action.FAIL]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.finished_at is not None
    assert task.exception_class_path == "boroughhub.jobs.recovery.WorkerLost"
    assert "started 3 times" in task.traceback


def test_tasks_of_workers_it_cannot_judge_are_left_running(tmp_path: Path):
    plain_db_worker = _running("0123456789abcdef0123456789abcdef")
    other_machine = _running(new_worker_id(host="elsewhere"))
    assert _recover(tmp_path) == []
    for task in (plain_db_worker, other_machine):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING


def test_recovering_twice_changes_nothing_the_second_time(tmp_path: Path):
    _running(new_worker_id(host=HOST))
    assert _recover(tmp_path) == [Action.REQUEUE]
    assert _recover(tmp_path) == []
