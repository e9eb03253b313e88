"""The hidden, non-technical enablers of a good solution, and what counts as assessed.

A technology project rarely fails on its technology: information governance, procurement, skills,
culture, data and ethics decide it. Each is assessed red, amber or green, with a note saying why and
an owner who will act on it; a rating without either is not an assessment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Enabler(StrEnum):
    INFORMATION_GOVERNANCE = "ig"
    PROCUREMENT = "procurement"
    SKILLS = "skills"
    CULTURE = "culture"
    DATA = "data"
    ETHICS = "ethics"

    @property
    def label(self) -> str:
        return ENABLER_LABELS[self]


ENABLER_LABELS = {
    Enabler.INFORMATION_GOVERNANCE: "Information governance", Enabler.PROCUREMENT: "Procurement",
    Enabler.SKILLS: "Skills", Enabler.CULTURE: "Culture", Enabler.DATA: "Data", Enabler.ETHICS: "Ethics",
}


class Rating(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


#: How risky each rating is, for sorting the portfolio's enabler-risk view (worst first).
RISK_ORDER = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2}


@dataclass(frozen=True)
class EnablerAssessment:
    enabler: Enabler
    rating: Rating | None
    note: str = ""
    owner: str = ""

    @property
    def is_complete(self) -> bool:
        return self.rating is not None and bool(self.note.strip()) and bool(self.owner.strip())


def assessment_problems(rating: str, note: str, owner: str) -> list[str]:
    """What is missing from one enabler's assessment as entered."""
    problems = []
    if rating not in {r.value for r in Rating}:
        problems.append("Choose red, amber or green.")
    if not note.strip():
        problems.append("Write a note saying why you chose this rating.")
    if not owner.strip():
        problems.append("Name the owner who will act on this enabler.")
    return problems


def unassessed_enablers(assessments: Iterable[EnablerAssessment]) -> list[Enabler]:
    """The enablers without a complete assessment, in the method's order."""
    complete = {a.enabler for a in assessments if a.is_complete}
    return [enabler for enabler in Enabler if enabler not in complete]


def worst_rating(assessments: Iterable[EnablerAssessment]) -> Rating | None:
    """The riskiest rating among a project's assessed enablers (None when none is rated)."""
    ratings = [a.rating for a in assessments if a.rating is not None]
    return min(ratings, key=RISK_ORDER.__getitem__) if ratings else None
