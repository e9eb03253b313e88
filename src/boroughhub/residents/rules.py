"""Who a worker may open, and what the flags say: the resident view's rules, as plain functions.

A legitimate relationship is derived from the data, never declared: the resident has an open
involvement with the worker's own team, in a source the worker's own organisation supplies. Without
one, only break-glass opens a resident. The age rule comes from the agreement that permits the view
(its ``data_subjects.min_age_years``), so who may be looked up is part of what the parties signed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .vocabulary import CURRENT, NONE_KNOWN, PAST, SERVICES


@dataclass(frozen=True, slots=True)
class Involvement:
    """One service's involvement with a resident, as a source supplied it."""

    id: int
    resident_id: str
    source: str
    supplier: str
    team_code: str
    start_date: date
    end_date: date | None

    def is_open(self, today: date) -> bool:
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


@dataclass(frozen=True, slots=True)
class Flag:
    """One line of a resident's flags: a service of one organisation, or a service nobody shared."""

    source: str
    service: str
    supplier: str | None
    status: str
    involvement_ids: tuple[int, ...] = ()

    def as_json(self, supplier_names: Mapping[str, str]) -> dict[str, Any]:
        return {"service": self.service, "source": self.source,
                "organisation": supplier_names.get(self.supplier, self.supplier) if self.supplier else None,
                "status": self.status, "involvements": list(self.involvement_ids)}


def fold_name(name: str) -> str:
    """Upper case, accents and punctuation removed: ``O'Brien`` and ``OBRIEN`` search alike."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Z]", "", ascii_only.upper())


def parse_date_of_birth(text: str) -> date:
    """A date of birth as YYYY-MM-DD, or a ValueError that says what to type."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date of birth: write it as YYYY-MM-DD, for example 1970-03-21.") from None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def minimum_age(agreement_contents: Iterable[Mapping[str, Any]]) -> int:
    """The strictest ``data_subjects.min_age_years`` of the agreements that permit the view (0 if none says)."""
    ages = [int(c.get("data_subjects", {}).get("min_age_years") or 0) for c in agreement_contents]
    return max(ages, default=0)


def in_cohort(born: date, today: date, min_age: int) -> bool:
    return age_on(born, today) >= min_age


def has_relationship(involvements: Iterable[Involvement], worker_org: str, worker_teams: Iterable[str],
                     today: date) -> bool:
    """Whether the resident is on an open case of the worker's own team, in a source their organisation supplies."""
    teams = set(worker_teams)
    return any(i.supplier == worker_org and i.team_code in teams and i.is_open(today) for i in involvements)


def flags_for(involvements: Iterable[Involvement], today: date) -> list[Flag]:
    """A flag per service and organisation (current if any involvement is open), then one per service
    with no involvement at all, in the order of ``SERVICES``."""
    grouped: dict[tuple[str, str], list[Involvement]] = {}
    for involvement in involvements:
        grouped.setdefault((involvement.source, involvement.supplier), []).append(involvement)
    flags: list[Flag] = []
    for source, service in SERVICES.items():
        found = sorted((key for key in grouped if key[0] == source), key=lambda key: key[1])
        if not found:
            flags.append(Flag(source, service, None, NONE_KNOWN))
            continue
        for key in found:
            rows = sorted(grouped[key], key=lambda i: (i.start_date, i.id), reverse=True)
            status = CURRENT if any(i.is_open(today) for i in rows) else PAST
            flags.append(Flag(source, service, key[1], status, tuple(i.id for i in rows)))
    return flags
