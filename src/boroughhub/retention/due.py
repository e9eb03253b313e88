"""What the warehouse holds that a retention clause will delete, and when (plain SQL on one warehouse).

Three kinds of holding, one per clause of the pilot agreement:

- a source submission (every version of CHAIN, InForm, H-CLIC: its rows in ``main``, ``identity`` and
  ``history``): its period starts at its upload (``main.submissions.loaded_at``); the clause is the one of
  the agreement version stamped on its rows, or the one in force for rows loaded before stamps;
- a linkage run's ``person_link`` as that run wrote it (``linkage_person_link_history``): superseded when
  the next run finished, the period starts then; the run still current is never due;
- ``metric_values``: its period starts at its creation (the refresh that computed it).

Only counts and dates leave this module: never a record's key or value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from boroughhub.retention.rules import HubRetention, RetentionBook
from boroughhub.sources import SOURCES, tables_of
from boroughhub.warehouse import Warehouse

SUBMISSION = "submission"
LINKAGE_RUN = "linkage_run"
METRIC_VALUES = "metric_values"
PERSON_LINK = "person_link"


@dataclass(frozen=True)
class Holding:
    """One thing a clause deletes as a whole, with its rows counted and the instant it expires."""

    kind: str
    dataset: str
    key: str  # the submission id, the linkage run id, or "metric_values"
    supplier_code: str  # "" for derived datasets
    version: int | None  # the submission's version
    rows: int
    starts_at: datetime
    rule: HubRetention

    @property
    def expires_at(self) -> datetime:
        return self.rule.expires(self.starts_at)

    def due(self, now: datetime) -> bool:
        """Expired: the period has run out at ``now`` (the instant itself included)."""
        return now >= self.expires_at


@dataclass(frozen=True)
class Unruled:
    """Data no clause covers (no stamp, and no active agreement names its dataset): kept, and shown."""

    dataset: str
    supplier_code: str
    rows: int


def as_utc(value: Any) -> datetime:
    """DuckDB gives ``TIMESTAMP`` naive (the hub writes UTC) and ``TIMESTAMPTZ`` in the session's zone."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected a timestamp, got {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def table_exists(warehouse: Warehouse, schema: str, name: str) -> bool:
    rows = warehouse.fetchall(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", [schema, name])
    return bool(rows and rows[0][0])


def _submission_facts(warehouse: Warehouse, source: str) -> dict[str, tuple[int, str | None, int | None]]:
    """Rows, and the stamp (agreement id, version), of every version of ``source``, by submission id."""
    parts = []
    for table in tables_of(source):
        for schema in ("main", "history"):
            parts.append(f"SELECT submission_id, stamp_agreement_id, stamp_agreement_version "
                         f"FROM {schema}.{table.name}")
    rows = warehouse.fetchall(
        "SELECT submission_id, count(*), max(stamp_agreement_id), max(stamp_agreement_version) FROM ("
        + " UNION ALL ".join(parts) + ") GROUP BY submission_id")
    return {str(r[0]): (int(r[1]), r[2], None if r[3] is None else int(r[3])) for r in rows}


def holdings(warehouse: Warehouse, book: RetentionBook) -> tuple[list[Holding], list[Unruled]]:
    """Everything a clause will delete, soonest first, and what no clause covers."""
    found: list[Holding] = []
    unruled: list[Unruled] = []
    for source in SOURCES:
        facts = _submission_facts(warehouse, source)
        submissions = warehouse.fetchall(
            "SELECT submission_id, supplier_code, version, loaded_at FROM main.submissions WHERE source = ?",
            [source])
        for submission_id, supplier, version, loaded_at in submissions:
            rows, agreement_id, agreement_version = facts.get(submission_id, (0, None, None))
            rule = book.for_rows(source, agreement_id, agreement_version)
            if rule is None or loaded_at is None:
                unruled.append(Unruled(source, supplier, rows))
                continue
            found.append(Holding(SUBMISSION, source, submission_id, supplier, int(version), rows,
                                 as_utc(loaded_at), rule))
    found += _linkage_runs(warehouse, book.in_force.get(PERSON_LINK))
    found += _metric_values(warehouse, book.in_force.get(METRIC_VALUES))
    found.sort(key=lambda h: (h.expires_at, h.dataset, h.supplier_code, h.key))
    return found, unruled


def _linkage_runs(warehouse: Warehouse, rule: HubRetention | None) -> Iterable[Holding]:
    if rule is None or not table_exists(warehouse, "main", "linkage_run") or not table_exists(
            warehouse, "main", "linkage_person_link_history"):
        return []
    runs = warehouse.fetchall(
        "SELECT r.run_id, r.finished_at, (SELECT count(*) FROM main.linkage_person_link_history h "
        "WHERE h.run_id = r.run_id) FROM main.linkage_run r WHERE r.finished_at IS NOT NULL "
        "ORDER BY r.finished_at, r.run_id")
    found = []
    for (run_id, _, rows), (_, superseded_at, _) in zip(runs, runs[1:], strict=False):
        if rows:
            found.append(Holding(LINKAGE_RUN, PERSON_LINK, str(run_id), "", None, int(rows),
                                 as_utc(superseded_at), rule))
    return found


def _metric_values(warehouse: Warehouse, rule: HubRetention | None) -> Iterable[Holding]:
    if rule is None or not table_exists(warehouse, "main", "metric_run") or not table_exists(
            warehouse, "main", "metric_values"):
        return []
    computed = warehouse.fetchall("SELECT max(computed_at) FROM main.metric_run")
    rows = warehouse.fetchall("SELECT count(*) FROM main.metric_values")[0][0]
    if not computed or computed[0][0] is None or not rows:
        return []
    return [Holding(METRIC_VALUES, METRIC_VALUES, METRIC_VALUES, "", None, int(rows), as_utc(computed[0][0]),
                    rule)]
