"""Knowing when a background task's worker is gone, and what to do with the task it left running.

django-tasks-db marks a task RUNNING when a worker claims it and appends the worker's id to the task's
``worker_ids``; if that worker is killed (``kill -9``, out of memory, the machine restarting) the task
stays RUNNING for ever. ``boroughhub worker`` therefore:

- names every worker ``HOST:PID:NAME`` and holds an exclusive lock on ``DATA_DIR/workers/<id>.lock``
  for as long as the process lives (:class:`WorkerLock`). The operating system drops the lock when
  the process dies, however it dies, so "the lock can be taken" means "the worker is gone", with no
  heartbeat to tune and no mistake when a process id is reused;
- before it starts taking tasks, looks at every RUNNING task's last worker (:func:`worker_state`) and
  plans (:func:`plan_recovery`): a task whose worker is gone is put back to run again, or marked
  failed once it has been started ``max_attempts`` times, so a task that kills its worker every time
  cannot loop for ever. The attempts are the task's ``worker_ids``: one id per claim.

Plain Python (no Django): the database side is in ``store.py``.
See docs/decisions/0023-worker-recovers-killed-tasks.md.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType

#: A task is started at most this many times by workers that then vanished; after that it is failed.
MAX_ATTEMPTS = 3
#: django-tasks-db refuses worker ids of 64 characters or more.
MAX_WORKER_ID = 63
MAX_NAME = 24
MAX_HOST = MAX_WORKER_ID - MAX_NAME - 7 - 2  # 7: Linux's largest process id has 7 digits


class WorkerLost(Exception):
    """Recorded on a task that was started ``MAX_ATTEMPTS`` times by workers that died running it."""


class WorkerState(StrEnum):
    ALIVE = "alive"
    GONE = "gone"
    UNKNOWN = "unknown"  # not a ``boroughhub worker`` id, or another machine's worker without a lock file


class Action(StrEnum):
    REQUEUE = "requeue"
    FAIL = "fail"
    LEAVE = "leave"


@dataclass(frozen=True)
class WorkerIdentity:
    host: str
    pid: int
    name: str


@dataclass(frozen=True)
class RunningTask:
    """What recovery needs to know of a RUNNING task."""

    task_id: str
    task_path: str
    worker_ids: tuple[str, ...]


@dataclass(frozen=True)
class Recovery:
    task: RunningTask
    action: Action
    worker_state: WorkerState
    reason: str

    @property
    def attempts(self) -> int:
        return len(self.task.worker_ids)


def short_host_name() -> str:
    """This machine's name as worker ids carry it (first label, at most ``MAX_HOST`` characters)."""
    return (socket.gethostname().split(".")[0] or "host")[:MAX_HOST]


def new_worker_id(name: str | None = None, *, host: str | None = None, pid: int | None = None) -> str:
    """``HOST:PID:NAME``; NAME is random unless given (at most ``MAX_NAME`` characters)."""
    name = name or secrets.token_hex(4)
    if len(name) > MAX_NAME:
        raise ValueError(f"A worker name has at most {MAX_NAME} characters.")
    return f"{(host or short_host_name())[:MAX_HOST]}:{os.getpid() if pid is None else pid}:{name}"


def parse_worker_id(worker_id: str) -> WorkerIdentity | None:
    """The parts of a ``boroughhub worker`` id; None for any other id (a plain ``db_worker``'s, say)."""
    parts = worker_id.split(":", 2)
    if len(parts) != 3 or not parts[0] or not parts[1].isdigit() or not parts[2]:
        return None
    return WorkerIdentity(host=parts[0], pid=int(parts[1]), name=parts[2])


def lock_path(lock_dir: Path, worker_id: str) -> Path:
    return lock_dir / (re.sub(r"[^A-Za-z0-9._-]", "_", worker_id) + ".lock")


class WorkerLock:
    """Holds ``DATA_DIR/workers/<worker id>.lock`` exclusively while the worker runs (a context manager)."""

    def __init__(self, lock_dir: Path, worker_id: str) -> None:
        self.path = lock_path(lock_dir, worker_id)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            # A sweep may have taken and unlinked the file between our open and our lock: then we hold
            # a lock on a file nobody can find, so try again with a new one.
            try:
                same_file = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same_file = False
            if same_file:
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> WorkerLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def _lock_is_free(path: Path, *, remove: bool) -> bool | None:
    """True if nobody holds ``path``'s lock (removing the file if asked), False if held, None if absent."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if remove:
            try:
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    path.unlink()
            except FileNotFoundError:
                pass
        return True
    finally:
        os.close(fd)


def worker_state(worker_id: str, lock_dir: Path, this_host: str) -> WorkerState:
    """ALIVE while the worker holds its lock; GONE once it does not (or, on this machine, its lock file
    is missing); UNKNOWN for ids that are not ``boroughhub worker`` ids, and for another machine's
    worker whose lock file this machine cannot see."""
    identity = parse_worker_id(worker_id)
    if identity is None:
        return WorkerState.UNKNOWN
    free = _lock_is_free(lock_path(lock_dir, worker_id), remove=False)
    if free is None:
        return WorkerState.GONE if identity.host == this_host else WorkerState.UNKNOWN
    return WorkerState.GONE if free else WorkerState.ALIVE


def scratch_path(lock_dir: Path, worker_id: str) -> Path:
    """The worker's own temporary folder (its tempfile.tempdir), beside its lock. Unpacked uploads and
    linkage spill files hold personal data: a killed worker's are removed by the next worker to start."""
    return lock_path(lock_dir, worker_id).with_suffix(".tmp")


def sweep_stale_scratch(lock_dir: Path) -> int:
    """Remove the temporary folders of workers that are gone (lock free or missing); returns how many."""
    if not lock_dir.is_dir():
        return 0
    removed = 0
    for folder in sorted(lock_dir.glob("*.tmp")):
        if folder.is_dir() and _lock_is_free(folder.with_suffix(".lock"), remove=False) is not False:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def sweep_stale_locks(lock_dir: Path) -> int:
    """Remove the lock files of workers that are gone; returns how many."""
    if not lock_dir.is_dir():
        return 0
    return sum(1 for path in sorted(lock_dir.glob("*.lock")) if _lock_is_free(path, remove=True))


def plan_recovery(
    tasks: Iterable[RunningTask],
    state_of: Callable[[str], WorkerState],
    max_attempts: int = MAX_ATTEMPTS,
) -> list[Recovery]:
    """What to do with each RUNNING task, judged by the state of the worker that claimed it last."""
    plans = []
    for task in tasks:
        worker = task.worker_ids[-1] if task.worker_ids else ""
        state = state_of(worker) if worker else WorkerState.UNKNOWN
        attempts = len(task.worker_ids)
        if state is WorkerState.ALIVE:
            plans.append(Recovery(task, Action.LEAVE, state, f"its worker {worker} is running"))
        elif state is WorkerState.UNKNOWN:
            plans.append(Recovery(task, Action.LEAVE, state, f"cannot tell whether worker {worker or '(none)'} "
                                  "is still running: it is not a `boroughhub worker` on this machine"))
        elif attempts >= max_attempts:
            plans.append(Recovery(task, Action.FAIL, state,
                                  f"its worker {worker} stopped without finishing it; it was started {attempts} "
                                  f"times by workers that stopped (limit {max_attempts}), so it is not run again"))
        else:
            plans.append(Recovery(task, Action.REQUEUE, state,
                                  f"its worker {worker} stopped without finishing it; put back to run again "
                                  f"(attempt {attempts + 1} of at most {max_attempts})"))
    return plans
