"""A real boroughhub server for browser tests: its own data directory, set up by ``boroughhub demo
--no-serve``, served by gunicorn on a free loopback port, stopped at the end of the session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEMO_PASSWORD = "browser-test-password-2026"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RunningHub:
    url: str
    data_dir: Path
    env: dict[str, str]  # the server's environment, for running `boroughhub` commands against it


@contextmanager
def running_hub(extra_env: dict[str, str] | None = None, setup_args: tuple[str, ...] = ("--without-data",),
                prepare: bool = False, copy_from: Path | None = None) -> Iterator[RunningHub]:
    """A served hub, set up by ``boroughhub demo --no-serve SETUP_ARGS`` (``setup_args=()``: the whole demo,
    with its synthetic pilot loaded, linked and refreshed); with ``prepare`` also the demo agreements, the
    worked example's insights and submission folders in ``DATA_DIR/browser-submissions``
    (tests/browser/prepare_pilot.py). ``copy_from`` starts from a copy of a data directory the demo set up
    before (the demo then reuses what is there), to iterate on a slow test."""
    data_dir = Path(tempfile.mkdtemp(prefix="boroughhub-browser-"))
    if copy_from is not None:
        shutil.copytree(copy_from, data_dir, dirs_exist_ok=True)
    env = {
        **os.environ,
        "BOROUGHHUB_ENV": "demo",
        "BOROUGHHUB_DATA_DIR": str(data_dir),
        "BOROUGHHUB_DEMO_PASSWORD": DEMO_PASSWORD,
        **(extra_env or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "boroughhub.cli"]
    subprocess.run([*cli, "demo", "--no-serve", *setup_args], env=env, check=True,
                   capture_output=True, timeout=900)
    if prepare:
        # The checkout's own source first, then its tests: the served hub runs the code under test,
        # not whatever copy of boroughhub the virtualenv has installed.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPOSITORY / "src"), str(REPOSITORY), env.get("PYTHONPATH", "")) if p)
        subprocess.run([sys.executable, str(REPOSITORY / "tests" / "browser" / "prepare_pilot.py"),
                        str(data_dir / "browser-submissions")], env=env, check=True, capture_output=True,
                       timeout=600, cwd=REPOSITORY)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "boroughhub.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    # The background worker, as `boroughhub demo` starts it: uploads are checked, loaded and linked there.
    from boroughhub.web.management.commands.demo import worker_command

    worker = subprocess.Popen(worker_command(), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = server.stderr.read().decode() if server.stderr else ""
                    raise RuntimeError(f"the hub did not start: {log}") from error
                time.sleep(0.3)
        yield RunningHub(url=url, data_dir=data_dir, env=env)
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
