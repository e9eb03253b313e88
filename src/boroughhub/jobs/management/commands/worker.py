"""``boroughhub worker``: put back tasks whose worker was killed, then run django-tasks-db's worker.

Run it (not ``db_worker``) under a supervisor that restarts it: see docs/operator-guide.md and
docs/decisions/0023-worker-recovers-killed-tasks.md.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import valid_backend_name, valid_interval, valid_max_tasks

from boroughhub.jobs.recovery import (
    MAX_ATTEMPTS,
    MAX_NAME,
    WorkerLock,
    new_worker_id,
    scratch_path,
    short_host_name,
    sweep_stale_scratch,
)
from boroughhub.jobs.store import recover_orphaned_tasks


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = ("Run the background worker (loads, linkage, insights refresh). First puts back the tasks left "
            "running by a worker that was killed (or fails them after --max-attempts starts), then runs "
            "django-tasks-db's db_worker with the options below.")
    # The system checks import every page's views (seconds of start-up); they concern the web process,
    # and a worker that restarts quickly after being killed matters more here.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME,
                            help="The queues to process, comma-separated; '*' for all (default: %(default)r).")
        parser.add_argument("--exclude-queues", default="",
                            help="Queues to leave alone, comma-separated (only with --queue-name='*').")
        parser.add_argument("--interval", type=valid_interval, default=1.0,
                            help="Seconds to wait when no task is ready before looking again (default: %(default)r).")
        parser.add_argument("--batch", action="store_true", help="Run every task that is ready, then exit.")
        parser.add_argument("--max-tasks", type=valid_max_tasks, default=None,
                            help="Exit after running this many tasks.")
        parser.add_argument("--backend", dest="backend_name", type=valid_backend_name,
                            default=DEFAULT_TASK_BACKEND_ALIAS,
                            help="The task backend to work for; must be a database backend (default: %(default)r).")
        parser.add_argument("--no-startup-delay", action="store_false", dest="startup_delay",
                            help="Do not wait up to a second before the first look for tasks.")
        parser.add_argument("--worker-id", default=None, metavar="NAME",
                            help=f"A name for this worker (at most {MAX_NAME} characters; default: random). Its id "
                            "is HOST:PID:NAME, which is how recovery knows whether it is still running.")
        parser.add_argument("--max-attempts", type=_positive, default=MAX_ATTEMPTS,
                            help="A task whose worker stopped without finishing it is run again until it has been "
                            "started this many times, then marked failed (default: %(default)r).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            worker_id = new_worker_id(options["worker_id"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        lock_dir = settings.DATA_DIR / "workers"
        with WorkerLock(lock_dir, worker_id):
            sweep_stale_scratch(lock_dir)
            # Every temporary file of this worker's tasks goes in its own folder, so that what a killed
            # worker leaves behind (unpacked uploads, spill files) is found and removed.
            scratch = scratch_path(lock_dir, worker_id)
            scratch.mkdir(parents=True, exist_ok=True)
            tempfile.tempdir = str(scratch)
            try:
                self._recover_and_run(options, lock_dir, worker_id)
            finally:
                tempfile.tempdir = None
                shutil.rmtree(scratch, ignore_errors=True)

    def _recover_and_run(self, options: dict[str, Any], lock_dir: Path, worker_id: str) -> None:
        recover_orphaned_tasks(backend_name=options["backend_name"], lock_dir=lock_dir,
                               this_host=short_host_name(), max_attempts=options["max_attempts"])
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            exclude_queues=options["exclude_queues"],
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            worker_id=worker_id,
            reload=False,  # a reloader would run tasks in a child process that does not hold the lock
            verbosity=options["verbosity"],
        )
