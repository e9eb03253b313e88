"""A supplier's data quality, as counts and shares only: what the quality page compares period by period.

The counts are taken once, at load, from the rows just loaded (``quality_sql`` on the warehouse's
identity table of the source's person file, run by the one ``Warehouse`` executor inside the load's
own connection), and kept with the submission. Only numbers leave the warehouse: how many people
records, how many have no NI number, no date of birth, or a date of birth on 1 January (the date
case-management systems fill in when only the year is known). No name, NI number or date is ever
read out, so the page needs no record-level permission (docs/decisions/0086-supplier-data-quality-counts.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

#: The person file of each source: where NI numbers and dates of birth are.
PERSON_TABLE = {"chain": "chain_people", "inform": "inform_clients", "hclic": "hclic_people"}


class Executor(Protocol):
    def fetchall(self, sql: str, parameters: list[Any] | None = None) -> list[Any]: ...


def quality_sql(source: str) -> str:
    """Counts of one submission's people records (parameter: the submission id)."""
    table = PERSON_TABLE[source]
    return (
        "SELECT count(*) AS people,"
        " count(*) FILTER (WHERE ni_number IS NULL OR trim(ni_number) = '') AS missing_ni_number,"
        " count(*) FILTER (WHERE date_of_birth IS NULL) AS missing_date_of_birth,"
        " count(*) FILTER (WHERE month(date_of_birth) = 1 AND day(date_of_birth) = 1) AS born_1_january"
        f" FROM identity.{table} WHERE submission_id = ?"
    )


def count_quality(warehouse: Executor, source: str, submission_id: str) -> dict[str, int]:
    """The counts of ``quality_sql`` for a submission just loaded; empty for an unknown source."""
    if source not in PERSON_TABLE:
        return {}
    people, no_ni, no_dob, first_january = warehouse.fetchall(quality_sql(source), [submission_id])[0]
    return {"people": int(people), "missing_ni_number": int(no_ni), "missing_date_of_birth": int(no_dob),
            "born_1_january": int(first_january)}


SHARES = (
    ("missing_ni_number", "No NI number"),
    ("missing_date_of_birth", "No date of birth"),
    ("born_1_january", "Born on 1 January"),
)


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float | None  # of people records; None when there are none
    change: float | None  # percentage points since the previous period; None without one


@dataclass(frozen=True)
class PeriodQuality:
    """One supplier's accepted submission for one period, and how it compares with the period before."""

    rows: int
    rows_change: int | None
    people: int | None  # None when the counts were not taken (loaded before they were)
    shares: tuple[Share, ...]
    warnings: dict[str, int]  # rule -> findings


def _percent(count: int, people: int) -> float | None:
    return round(100 * count / people, 1) if people else None


def compare(rows: int, counts: Mapping[str, int], warnings: Mapping[str, int],
            before: PeriodQuality | None) -> PeriodQuality:
    """The quality of a period, with changes from ``before`` (the previous period's, if any)."""
    people = counts.get("people") if counts else None
    shares = []
    for name, label in SHARES:
        count = int(counts.get(name, 0)) if counts else 0
        percent = _percent(count, people) if people is not None else None
        previous = next((s.percent for s in before.shares if s.label == label), None) if before else None
        change = round(percent - previous, 1) if percent is not None and previous is not None else None
        shares.append(Share(label, count, percent, change))
    return PeriodQuality(rows, rows - before.rows if before is not None else None, people, tuple(shares),
                         dict(sorted(warnings.items())))


def warnings_by_rule(report_summary: Mapping[str, Any]) -> dict[str, int]:
    """Warnings of every file of a stored report summary, added up by rule."""
    totals: dict[str, int] = {}
    for file in report_summary.get("files", []) or []:
        for rule, count in (file.get("warnings") or {}).items():
            totals[rule] = totals.get(rule, 0) + int(count)
    return totals
