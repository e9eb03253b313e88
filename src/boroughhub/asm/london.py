"""The collaboration's comparison across councils: by finding type, how many are open and how long
resolved ones took. It is built from counts and durations only, so no council's assets are named."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from boroughhub.asm.rules import RULES


@dataclass(frozen=True)
class FindingFact:
    council: str  # the council's name
    rule: str
    status: str
    first_seen: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class Comparison:
    council: str
    rule: str
    title: str
    open: int
    resolved: int
    median_days_to_resolve: float | None


def compare_councils(facts: Iterable[FindingFact]) -> list[Comparison]:
    groups: dict[tuple[str, str], list[FindingFact]] = defaultdict(list)
    for fact in facts:
        groups[(fact.rule, fact.council)].append(fact)
    rows = []
    for (rule, council), group in sorted(groups.items()):
        days = [(f.resolved_at - f.first_seen).total_seconds() / 86400 for f in group
                if f.status == "resolved" and f.resolved_at is not None]
        rows.append(Comparison(council, rule, RULES[rule].title if rule in RULES else rule,
                               sum(1 for f in group if f.status == "open"), len(days),
                               round(statistics.median(days), 1) if days else None))
    return rows
