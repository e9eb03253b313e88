"""What is due next, as the data managers' page shows it: written by every run of the job.

The page never opens the warehouse (a writer may hold it for minutes): each run of the job, a dry run
included, writes this schedule beside the warehouse's other published files, and the page reads it.
Only counts, dates, suppliers and clauses are in it: never a record's key or value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from boroughhub.retention.due import LINKAGE_RUN, METRIC_VALUES, SUBMISSION, Holding, Unruled

SCHEDULE_FILE = "schedule.json"
DATASET_LABELS = {"chain": "CHAIN", "inform": "InForm", "hclic": "H-CLIC", "person_link": "Linked people",
                  "metric_values": "Insights figures"}


@dataclass(frozen=True)
class Line:
    """One holding on the page: what it is, how many rows, when its period started and when it goes."""

    dataset: str
    supplier_code: str
    what: str
    rows: int
    starts_at: datetime
    expires_at: datetime
    clause: str
    rule: str

    @property
    def dataset_label(self) -> str:
        return DATASET_LABELS.get(self.dataset, self.dataset)


def _what(holding: Holding) -> str:
    if holding.kind == SUBMISSION:
        return f"Version {holding.version}"
    if holding.kind == LINKAGE_RUN:
        return "A superseded linkage run's links"
    if holding.kind == METRIC_VALUES:
        return "The published figures"
    return holding.kind


def line_of(holding: Holding) -> Line:
    return Line(holding.dataset, holding.supplier_code, _what(holding), holding.rows, holding.starts_at,
                holding.expires_at, holding.rule.clause, holding.rule.summary)


def write_schedule(folder: Path, *, as_at: datetime, held: Iterable[Holding], unruled: Iterable[Unruled],
                   last_run: dict[str, Any] | None) -> Path:
    """Replace the schedule atomically (a reader sees the old one or the new one, never half)."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "as_at": as_at.isoformat(),
        "lines": [{**line_of(h).__dict__, "starts_at": h.starts_at.isoformat(),
                   "expires_at": h.expires_at.isoformat()} for h in held],
        "unruled": [u.__dict__ for u in unruled],
        "last_run": last_run,
    }
    path = folder / SCHEDULE_FILE
    draft = path.with_name(path.name + f".{os.getpid()}.new")
    draft.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
    draft.replace(path)
    return path


@dataclass(frozen=True)
class Schedule:
    as_at: datetime
    lines: list[Line]
    unruled: list[dict[str, Any]]
    last_run: dict[str, Any] | None


def read_schedule(folder: Path) -> Schedule | None:
    """The last schedule written, or ``None`` if the job has never run."""
    path = folder / SCHEDULE_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = [Line(**{**line, "starts_at": datetime.fromisoformat(line["starts_at"]),
                     "expires_at": datetime.fromisoformat(line["expires_at"])}) for line in data["lines"]]
    return Schedule(datetime.fromisoformat(data["as_at"]), lines, list(data.get("unruled") or []),
                    data.get("last_run"))
