"""Where evaluation runs live: one folder per run, the same for uploaded runs, the command line's and the demo's.

    <root>/<run id>/run.json   who started it, when, the spec's title, status and progress
    <root>/<run id>/input/     the spec and the CSV files it names, as they were evaluated
    <root>/<run id>/output/    results.json, the CSVs, results.xlsx, charts/, report.html, report.pdf

``run.json`` is replaced atomically on every change, so a page reading it while the background task
writes it sees the old state or the new one, never half of each. Plain Python: the pages and the task
are in ``views.py`` and ``tasks.py``. See docs/decisions/0035-evaluation-runs-are-folders.md.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

Clock = Callable[[], datetime]

RUN_FILE = "run.json"
#: A run still working with no progress for this long has probably lost its worker; its page says so.
STUCK_AFTER = timedelta(minutes=10)
_RUN_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "Evaluating", "done": "Finished",
                "failed": "Failed"}[self.value]

    @property
    def still_working(self) -> bool:
        return self in (RunStatus.QUEUED, RunStatus.RUNNING)


class Channel(StrEnum):
    WEB = "web"
    COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Problem:
    """One error in the spec or its CSV files, as the validation report states it."""

    code: str
    where: str
    message: str


@dataclass(frozen=True)
class EvaluationRun:
    id: str
    title: str
    spec_name: str
    created_by: str
    channel: Channel
    created_at: datetime
    status: RunStatus = RunStatus.QUEUED
    progress: str = "Waiting for the background worker"
    progress_percent: int = 0
    updated_at: datetime | None = None
    finished_at: datetime | None = None
    #: The programme's result in one line ("BCR 1.64 (Medium), NPSV £212,813"), once finished.
    headline: str = ""
    failure: str = ""
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def looks_stuck(self, now: datetime) -> bool:
        last = self.updated_at or self.created_at
        return self.status.still_working and now - last > STUCK_AFTER

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("created_at", "updated_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvaluationRun:
        def instant(key: str) -> datetime | None:
            return datetime.fromisoformat(data[key]) if data.get(key) else None

        created_at = instant("created_at")
        if created_at is None:
            raise ValueError("run.json has no created_at")
        return cls(id=data["id"], title=data["title"], spec_name=data["spec_name"], created_by=data["created_by"],
                   channel=Channel(data["channel"]), created_at=created_at, status=RunStatus(data["status"]),
                   progress=data.get("progress", ""), progress_percent=int(data.get("progress_percent", 0)),
                   updated_at=instant("updated_at"), finished_at=instant("finished_at"),
                   headline=data.get("headline", ""), failure=data.get("failure", ""),
                   problems=tuple(Problem(**p) for p in data.get("problems", [])))


def new_run_id() -> str:
    return str(uuid.uuid4())


class RunStore:
    """The folder of every evaluation run (``DATA_DIR/evaluations`` in the hub)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, run_id: str) -> Path:
        # Run ids come from URLs and the command line: only a UUID ever names a folder.
        if not _RUN_ID.match(run_id):
            raise ValueError(f"{run_id!r} is not an evaluation run id")
        return self.root / run_id

    def input_dir(self, run_id: str) -> Path:
        return self.folder(run_id) / "input"

    def output_dir(self, run_id: str) -> Path:
        return self.folder(run_id) / "output"

    def spec_path(self, run: EvaluationRun) -> Path:
        return self.input_dir(run.id) / run.spec_name

    def create(self, run_id: str, *, title: str, spec_name: str, created_by: str, channel: Channel,
               now: datetime) -> EvaluationRun:
        """Record a new run whose input folder is already filled; it waits to be evaluated."""
        run = EvaluationRun(id=run_id, title=title, spec_name=spec_name, created_by=created_by, channel=channel,
                            created_at=now, updated_at=now)
        self.save(run)
        return run

    def save(self, run: EvaluationRun) -> None:
        folder = self.folder(run.id)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".run-", suffix=".json", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(run.to_json(), out, indent=1, sort_keys=True)
        os.replace(tmp, folder / RUN_FILE)

    def update(self, run_id: str, now: datetime, **changes: Any) -> EvaluationRun:
        run = self.get(run_id)
        if run is None:
            raise LookupError(f"no evaluation run {run_id}")
        run = dataclasses.replace(run, updated_at=now, **changes)
        self.save(run)
        return run

    def get(self, run_id: str) -> EvaluationRun | None:
        try:
            path = self.folder(run_id) / RUN_FILE
        except ValueError:
            return None
        try:
            return EvaluationRun.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def all(self) -> list[EvaluationRun]:
        """Every run, newest first; a folder without a readable ``run.json`` is not a run."""
        runs = [run for run in (self.get(p.name) for p in self._folders()) if run is not None]
        return sorted(runs, key=lambda r: r.created_at, reverse=True)

    def remove(self, run_id: str) -> None:
        shutil.rmtree(self.folder(run_id), ignore_errors=True)

    def _folders(self) -> Iterable[Path]:
        if not self.root.is_dir():
            return []
        return (p for p in self.root.iterdir() if p.is_dir() and _RUN_ID.match(p.name))

    def downloads(self, run_id: str, names: Iterable[str]) -> list[str]:
        """Which of these output files the run has, with something in them (a part not assessed, such as the
        Monte Carlo summary of a spec without distributions, leaves an empty CSV that is not worth offering)."""
        out = self.output_dir(run_id)
        return [name for name in names if (out / name).is_file() and (out / name).stat().st_size > 0]
