"""The report's figures: devices, SIMs, data vouchers and learners by borough, month and hub, against
the year's targets. Plain Python over plain records, so the page, the downloads, the funder export and
``boroughhub getonline report`` all count the same way.

Each record is one thing given (a device allocated to a person, a code issued, a person completing a
course) with the borough of the hub that gave it: funders ask how each borough's hubs are doing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .boroughs import boroughs

MEASURES: dict[str, str] = {"devices": "Devices", "sims": "SIM cards", "data_vouchers": "Data vouchers",
                            "learners": "Learners"}
# The published year's totals (issue 19): the service's London-wide targets for a year. A borough's
# share is an equal 33rd until the service team sets borough targets.
LONDON_TARGETS: dict[str, int] = {"devices": 3_450, "sims": 45_000, "data_vouchers": 5_000, "learners": 10_000}


@dataclass(frozen=True)
class Given:
    measure: str
    borough: str  # ONS code of the hub's borough
    hub: str
    on: date
    person: str = ""  # the hub reference, to count learners once; never shown


def _count(records: Iterable[Given]) -> Counter[tuple[str, str]]:
    """(measure, key) counts; learners are counted once per person."""
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str]] = set()
    for record in records:
        if record.measure == "learners":
            if (record.borough, record.person) in seen:
                continue
            seen.add((record.borough, record.person))
        counts[(record.measure, record.borough)] += 1
    return counts


def in_period(records: Iterable[Given], start: date, end: date) -> list[Given]:
    return [record for record in records if start <= record.on <= end]


def borough_target(measure: str, days: int) -> int:
    """A borough's share of the London target for a period of ``days`` days."""
    return round(LONDON_TARGETS[measure] * days / 365 / len(boroughs()))


def by_borough(records: Iterable[Given], start: date, end: date) -> dict[str, Any]:
    """The monthly report's figures for ``start``..``end`` (both included): every borough, then London."""
    if end < start:
        raise ValueError("The end of the period is before its start.")
    counts = _count(in_period(records, start, end))
    days = (end - start).days + 1
    rows = []
    for code, name in boroughs().items():
        row: dict[str, Any] = {"ons_code": code, "borough": name}
        row.update({measure: counts[(measure, code)] for measure in MEASURES})
        rows.append(row)
    london = {measure: sum(row[measure] for row in rows) for measure in MEASURES}
    targets = {measure: round(LONDON_TARGETS[measure] * days / 365) for measure in MEASURES}
    return {"from": start.isoformat(), "to": end.isoformat(), "measures": list(MEASURES), "boroughs": rows,
            "london": london, "london_targets_for_period": targets}


def by_month(records: Iterable[Given], start: date, end: date) -> list[dict[str, Any]]:
    """London's figures month by month (the months the period touches, in order)."""
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str]] = set()
    for record in in_period(records, start, end):
        month = f"{record.on.year:04d}-{record.on.month:02d}"  # strftime is slow over a year of records
        if record.measure == "learners":
            if (month, record.person) in seen:
                continue
            seen.add((month, record.person))
        counts[(record.measure, month)] += 1
    months = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        months.append(f"{cursor:%Y-%m}")
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return [{"month": month, **{measure: counts[(measure, month)] for measure in MEASURES}} for month in months]


def by_hub(records: Iterable[Given], start: date, end: date) -> list[dict[str, Any]]:
    """Each hub's figures, hubs with anything given first by their total."""
    counts: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str]] = set()
    for record in in_period(records, start, end):
        if record.measure == "learners":
            if (record.hub, record.person) in seen:
                continue
            seen.add((record.hub, record.person))
        counts[(record.measure, record.hub)] += 1
    hubs = sorted({hub for _, hub in counts})
    rows = [{"hub": hub, **{measure: counts[(measure, hub)] for measure in MEASURES}} for hub in hubs]
    return sorted(rows, key=lambda row: (-sum(row[m] for m in MEASURES), row["hub"]))


def month_bounds(year: int, month: int) -> tuple[date, date]:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)


def long_date(day: date) -> str:
    """7 December 2026."""
    return f"{day.day} {day:%B %Y}"
