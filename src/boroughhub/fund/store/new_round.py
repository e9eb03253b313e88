"""A programme manager opens a round: its budget, maximum, open and close times (entered in London
time), eligibility, threshold and weighted criteria. All or nothing, audited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from boroughhub.audit import record_event
from boroughhub.fund.models import Criterion, Round


@dataclass(frozen=True)
class CriterionEntry:
    title: str
    weight: int
    guidance: str = ""


@dataclass(frozen=True)
class NewRound:
    round_id: str
    title: str
    description: str
    budget_pence: int
    maximum_pence: int
    opens_at: datetime
    closes_at: datetime
    minimum_partner_boroughs: int
    threshold: float
    public_listing: bool
    criteria: Sequence[CriterionEntry]
    scale_max: int = 5


def new_round_problems(new: NewRound) -> list[str]:
    problems = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", new.round_id):
        problems.append("Round id: use 2 to 40 lower-case letters, digits and hyphens, for example asc-2027.")
    elif Round.objects.filter(round_id=new.round_id).exists():
        problems.append(f"Round id: {new.round_id} is taken; choose another.")
    if not new.title.strip():
        problems.append("Enter the round's title.")
    if new.budget_pence <= 0:
        problems.append("Budget: enter an amount above £0.")
    if not 0 < new.maximum_pence <= new.budget_pence:
        problems.append("Maximum per application: enter an amount above £0 and no more than the budget.")
    if new.closes_at <= new.opens_at:
        problems.append("The close time must be after the open time.")
    if not 0 <= new.threshold <= 100:
        problems.append("Quality threshold: enter a score from 0 to 100.")
    if not new.criteria:
        problems.append("Add at least one criterion with a title and a weight.")
    for n, criterion in enumerate(new.criteria, start=1):
        if criterion.weight <= 0:
            problems.append(f"Criterion {n}: give a weight above 0.")
    return problems


def open_round(new: NewRound, *, user: Any, org_id: str, role: str) -> Round:
    problems = new_round_problems(new)
    if problems:
        from boroughhub.fund.store.applications import FundRefused

        raise FundRefused(problems)
    with transaction.atomic():
        round_ = Round.objects.create(
            round_id=new.round_id, title=new.title.strip(), description=new.description.strip(),
            budget_pence=new.budget_pence, maximum_pence=new.maximum_pence, opens_at=new.opens_at,
            closes_at=new.closes_at, minimum_partner_boroughs=new.minimum_partner_boroughs,
            threshold=new.threshold, public_listing=new.public_listing)
        used: set[str] = set()
        for position, criterion in enumerate(new.criteria):
            key = re.sub(r"[^a-z0-9]+", "-", criterion.title.lower()).strip("-")[:30] or f"criterion-{position + 1}"
            while key in used:
                key = f"{key[:27]}-{position + 1}"
            used.add(key)
            Criterion.objects.create(round=round_, key=key, title=criterion.title.strip(), weight=criterion.weight,
                                     guidance=criterion.guidance.strip(), scale_min=0, scale_max=new.scale_max,
                                     position=position)
        record_event("registry", "ok", user=user, org_id=org_id, role=role, action="fund_round_opened",
                     payload={"round": new.round_id, "budget_pence": new.budget_pence,
                              "criteria": [c.title for c in new.criteria]})
    return round_
