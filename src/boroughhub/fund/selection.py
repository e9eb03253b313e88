"""Selection: rank applications by moderated score and fill the budget.

Walk the ranking from the top; each application is funded if it fits in what is left of the budget
and meets the quality threshold. One that scores enough but does not fit is a reserve (first in line
if money comes back); one below the threshold is not funded. Every outcome carries its reason, which
is what the decision letter says. Ties on score go to the smaller request (more ideas piloted), then
to the earlier submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .rules import pounds


class Outcome(StrEnum):
    FUNDED = "funded"
    RESERVE = "reserve"
    NOT_FUNDED = "not_funded"

    @property
    def label(self) -> str:
        return {"funded": "Funded", "reserve": "Reserve", "not_funded": "Not funded"}[self.value]


@dataclass(frozen=True)
class Candidate:
    reference: str
    title: str
    moderated_score: float | None
    requested_pence: int
    submitted_at: datetime


@dataclass(frozen=True)
class Selection:
    rank: int | None
    candidate: Candidate
    outcome: Outcome
    reason: str
    budget_left_pence: int


def select(candidates: Iterable[Candidate], budget_pence: int, threshold: float) -> list[Selection]:
    """The ranked list with each application's outcome, reason and the budget left after it."""
    candidates = list(candidates)
    unmoderated = [c for c in candidates if c.moderated_score is None]
    ranked = sorted((c for c in candidates if c.moderated_score is not None),
                    key=lambda c: (-(c.moderated_score or 0.0), c.requested_pence, c.submitted_at, c.reference))
    left = budget_pence
    result = []
    for rank, candidate in enumerate(ranked, start=1):
        score = candidate.moderated_score or 0.0
        if score < threshold:
            outcome, reason = Outcome.NOT_FUNDED, (f"Moderated score {score:g} is below the round's quality "
                                                   f"threshold of {threshold:g}.")
        elif candidate.requested_pence <= left:
            left -= candidate.requested_pence
            outcome, reason = Outcome.FUNDED, (f"Ranked {rank} with a moderated score of {score:g}; its "
                                               f"{pounds(candidate.requested_pence)} fits the budget.")
        else:
            outcome, reason = Outcome.RESERVE, (f"Ranked {rank} with a moderated score of {score:g}, above the "
                                                f"threshold, but its {pounds(candidate.requested_pence)} is more "
                                                f"than the {pounds(left)} left in the budget.")
        result.append(Selection(rank, candidate, outcome, reason, left))
    for candidate in sorted(unmoderated, key=lambda c: c.reference):
        result.append(Selection(None, candidate, Outcome.NOT_FUNDED,
                                "The panel has not agreed a moderated score for it.", left))
    return result


def funded_total(selections: Iterable[Selection]) -> int:
    return sum(s.candidate.requested_pence for s in selections if s.outcome is Outcome.FUNDED)
