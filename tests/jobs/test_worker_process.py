"""A real worker process killed with SIGKILL mid-task; the next `boroughhub worker` runs the task again,
and it completes exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SET_UP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from tests.jobs.slow_tasks import slow_task
print(slow_task.enqueue(sys.argv[1], float(sys.argv[2])).id)
"""


def _environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "BOROUGHHUB_ENV": "test", "BOROUGHHUB_DATA_DIR": str(data_dir),
            "BOROUGHHUB_TASKS": "database", "DJANGO_SETTINGS_MODULE": "boroughhub.settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}


def _worker(name: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "boroughhub.cli", "worker", "--no-startup-delay", "--interval", "0.1",
            "--worker-id", name, *extra]


def _wait_for(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.slow
def test_a_killed_workers_task_runs_again_and_completes_once(tmp_path: Path):
    env = _environment(tmp_path / "data")
    marker = tmp_path / "marker.txt"
    task_id = subprocess.run([sys.executable, "-c", SET_UP, str(marker), "3"], env=env, cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]

    first = subprocess.Popen(_worker("first"), env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: marker.exists() and "started" in marker.read_text(), timeout=30)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()

    second = subprocess.run(_worker("second", "--batch"), env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=False)
    assert second.returncode == 0, second.stderr
    assert "Recovered task" in second.stderr

    lines = marker.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["started", "started", "finished"]
    assert lines[1].split()[1] == lines[2].split()[1]  # the second worker started and finished it
    with sqlite3.connect(tmp_path / "data" / "boroughhub.sqlite3") as con:
        status, worker_ids = con.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
            [task_id.replace("-", "")]).fetchone()
    assert status == "SUCCESSFUL"
    assert [w.rsplit(":", 1)[1] for w in json.loads(worker_ids)] == ["first", "second"]
    assert not list((tmp_path / "data" / "workers").glob("*.lock"))
