"""Recovery as plain functions: worker ids, the lock that says a worker is alive, and the plan."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from boroughhub.jobs.recovery import (
    MAX_WORKER_ID,
    Action,
    RunningTask,
    WorkerLock,
    WorkerState,
    lock_path,
    new_worker_id,
    parse_worker_id,
    plan_recovery,
    scratch_path,
    sweep_stale_locks,
    sweep_stale_scratch,
    worker_state,
)


def test_worker_ids_name_host_and_process_and_fit_django_tasks_db():
    worker_id = new_worker_id("linkage", host="h" * 200, pid=4194304)
    identity = parse_worker_id(worker_id)
    assert identity is not None and identity.pid == 4194304 and identity.name == "linkage"
    assert len(worker_id) <= MAX_WORKER_ID
    assert parse_worker_id(new_worker_id()) is not None
    with pytest.raises(ValueError):
        new_worker_id("n" * 25)


@pytest.mark.parametrize("worker_id", ["", "0123456789abcdef0123456789abcdef", "host:notapid:x", "host:12:", ":12:x"])
def test_other_ids_are_not_ours(worker_id: str):
    assert parse_worker_id(worker_id) is None


def test_a_worker_is_alive_while_it_holds_its_lock(tmp_path: Path):
    worker_id = new_worker_id(host="here")
    with WorkerLock(tmp_path, worker_id):
        assert worker_state(worker_id, tmp_path, "here") is WorkerState.ALIVE
        assert sweep_stale_locks(tmp_path) == 0
        assert lock_path(tmp_path, worker_id).exists()
    assert not lock_path(tmp_path, worker_id).exists()  # a clean exit removes the file
    assert worker_state(worker_id, tmp_path, "here") is WorkerState.GONE


def test_a_killed_worker_leaves_a_lock_file_nobody_holds(tmp_path: Path):
    """The process holding the lock is killed with SIGKILL: the file stays, the lock does not."""
    worker_id = new_worker_id(host="here", pid=12345)
    code = ("import sys, os; from pathlib import Path; from boroughhub.jobs.recovery import WorkerLock; "
            f"WorkerLock(Path({str(tmp_path)!r}), {worker_id!r}).acquire(); os.kill(os.getpid(), 9)")
    finished = subprocess.run([sys.executable, "-c", code], check=False)
    assert finished.returncode == -9
    assert lock_path(tmp_path, worker_id).exists()
    assert worker_state(worker_id, tmp_path, "here") is WorkerState.GONE
    assert sweep_stale_locks(tmp_path) == 1
    assert not lock_path(tmp_path, worker_id).exists()


def test_without_a_lock_file_only_this_machines_workers_count_as_gone(tmp_path: Path):
    assert worker_state(new_worker_id(host="here"), tmp_path, "here") is WorkerState.GONE
    assert worker_state(new_worker_id(host="elsewhere"), tmp_path, "here") is WorkerState.UNKNOWN
    assert worker_state("0123456789abcdef", tmp_path, "here") is WorkerState.UNKNOWN


def test_a_lock_file_decides_even_for_another_host_name(tmp_path: Path):
    """A container restarted under a new host name still finds its predecessor's lock file."""
    worker_id = new_worker_id(host="old-container")
    lock_path(tmp_path, worker_id).write_text(str(os.getpid()))
    assert worker_state(worker_id, tmp_path, "new-container") is WorkerState.GONE


def _task(*workers: str) -> RunningTask:
    return RunningTask("t1", "boroughhub.linkage.tasks.link_job", tuple(workers))


def test_plan_requeues_a_gone_workers_task_until_the_attempts_run_out():
    states = {"a:1:x": WorkerState.GONE, "a:2:y": WorkerState.GONE, "a:3:z": WorkerState.GONE,
              "a:4:live": WorkerState.ALIVE, "random": WorkerState.UNKNOWN}
    plans = plan_recovery(
        [_task("a:1:x"), _task("a:1:x", "a:2:y"), _task("a:1:x", "a:2:y", "a:3:z"), _task("a:1:x", "a:4:live"),
         _task("random"), _task()],
        states.__getitem__, max_attempts=3,
    )
    assert [p.action for p in plans] == [Action.REQUEUE, Action.REQUEUE, Action.FAIL, Action.LEAVE,
                                         Action.LEAVE, Action.LEAVE]
    assert "attempt 2 of at most 3" in plans[0].reason
    assert "started 3 times" in plans[2].reason
    assert [p.worker_state for p in plans[3:5]] == [WorkerState.ALIVE, WorkerState.UNKNOWN]


def test_only_the_last_worker_matters():
    """A task put back once and claimed by a live worker is that worker's now."""
    plans = plan_recovery([_task("a:1:x", "a:2:live")],
                          {"a:1:x": WorkerState.GONE, "a:2:live": WorkerState.ALIVE}.__getitem__)
    assert plans[0].action is Action.LEAVE


def test_a_killed_workers_temporary_files_are_removed_and_a_live_ones_kept(tmp_path: Path):
    """Unpacked uploads hold personal data: what a killed worker left in its folder does not stay."""
    dead = new_worker_id(host="here", pid=12345)
    code = ("import os; from pathlib import Path; from boroughhub.jobs.recovery import WorkerLock; "
            f"WorkerLock(Path({str(tmp_path)!r}), {dead!r}).acquire(); os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code], check=False)
    (scratch_path(tmp_path, dead) / "boroughhub-submission-x").mkdir(parents=True)
    (scratch_path(tmp_path, dead) / "boroughhub-submission-x" / "hclic_people.csv").write_text("names")
    alive = new_worker_id(host="here")
    with WorkerLock(tmp_path, alive):
        scratch_path(tmp_path, alive).mkdir()
        assert sweep_stale_scratch(tmp_path) == 1
        assert not scratch_path(tmp_path, dead).exists() and scratch_path(tmp_path, alive).is_dir()
