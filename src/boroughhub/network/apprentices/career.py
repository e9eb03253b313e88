"""Career support for apprentices nearing the end of their apprenticeship, and which opportunities are open."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

#: From this many days before the end date an apprentice sees career support and open roles first.
CAREER_SUPPORT_WINDOW = timedelta(days=120)


class OpportunityKind(StrEnum):
    JOB = "job"
    VISIT = "visit"
    WORKSHOP = "workshop"
    MENTORING = "mentoring"

    @property
    def label(self) -> str:
        return {"job": "Job", "visit": "Visit", "workshop": "Workshop", "mentoring": "Mentoring"}[self.value]


@dataclass(frozen=True)
class OpportunityFacts:
    key: str
    kind: OpportunityKind
    closes_on: date


def nearing_end(end_date: date, today: date) -> bool:
    """Within the window before the end date (and not past it by more than the window: still job hunting)."""
    return end_date - CAREER_SUPPORT_WINDOW <= today <= end_date + CAREER_SUPPORT_WINDOW


def is_open(opportunity: OpportunityFacts, today: date) -> bool:
    """Open up to and including its closing date (London date)."""
    return today <= opportunity.closes_on


def open_in_closing_order(opportunities: Iterable[OpportunityFacts], today: date,
                          kinds: frozenset[OpportunityKind] | None = None) -> list[OpportunityFacts]:
    shown = [o for o in opportunities if is_open(o, today) and (kinds is None or o.kind in kinds)]
    return sorted(shown, key=lambda o: (o.closes_on, o.key))
