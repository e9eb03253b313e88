"""Assessment: who may score an application, what a valid score is, what an assessor may see, and the
spread between assessors that moderation works from.

Fairness rules the issue names: a conflicted assessor cannot score that application; every score has
a justification; an assessor sees other assessors' scores only once their own are submitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import mean


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    weight: int
    scale_min: int = 0
    scale_max: int = 5


@dataclass(frozen=True)
class CriterionScore:
    assessor: str
    criterion: str
    score: int
    justification: str


def score_problems(criterion: Criterion, score: int | None, justification: str) -> list[str]:
    """What is wrong with one criterion's score as entered, naming the criterion."""
    problems = []
    if score is None or not criterion.scale_min <= score <= criterion.scale_max:
        problems.append(f"{criterion.title}: give a whole number from {criterion.scale_min} to {criterion.scale_max}.")
    if not justification.strip():
        problems.append(f"{criterion.title}: write a justification for your score.")
    return problems


def may_score(assessor: str, conflicted_assessors: Iterable[str], submitted: bool) -> str | None:
    """None when ``assessor`` may score the application; otherwise why not."""
    if assessor in set(conflicted_assessors):
        return "You declared a conflict of interest with this application, so you cannot score it."
    if submitted:
        return ("You have submitted your scores for this application, so they can no longer change: flag anything "
                "new for the panel instead.")
    return None


def visible_scores(viewer: str, scores: Iterable[CriterionScore], submitted_by: Iterable[str],
                   panel: bool = False) -> list[CriterionScore]:
    """The scores ``viewer`` may see: always their own; others' only once their own are submitted
    (the panel, moderating, sees them all)."""
    scores = list(scores)
    if panel or viewer in set(submitted_by):
        return scores
    return [s for s in scores if s.assessor == viewer]


def weighted_total(criteria: Sequence[Criterion], by_criterion: Mapping[str, float]) -> float:
    """The weighted score out of 100: each criterion's score as a share of its scale, times its weight,
    over the total weight. Missing criteria count as the scale's minimum."""
    total_weight = sum(c.weight for c in criteria)
    if total_weight == 0:
        return 0.0
    share = 0.0
    for criterion in criteria:
        value = by_criterion.get(criterion.key, criterion.scale_min)
        span = criterion.scale_max - criterion.scale_min
        share += criterion.weight * ((value - criterion.scale_min) / span if span else 0.0)
    return round(100 * share / total_weight, 2)


@dataclass(frozen=True)
class Spread:
    criterion: Criterion
    scores: tuple[int, ...]
    lowest: int
    highest: int
    average: float

    @property
    def gap(self) -> int:
        return self.highest - self.lowest


#: A gap this wide between assessors on one criterion is for the panel to discuss before agreeing.
DISCUSS_GAP = 2


def spread(criteria: Sequence[Criterion], scores: Iterable[CriterionScore],
           submitted_by: Iterable[str]) -> list[Spread]:
    """Per criterion, the submitted assessors' scores, their range and average (moderation's starting point)."""
    counted = set(submitted_by)
    scores = [s for s in scores if s.assessor in counted]
    result = []
    for criterion in criteria:
        values = tuple(sorted(s.score for s in scores if s.criterion == criterion.key))
        if values:
            result.append(Spread(criterion, values, values[0], values[-1], round(mean(values), 2)))
    return result


def moderation_problems(criteria: Sequence[Criterion], agreed: Mapping[str, int | None], note: str) -> list[str]:
    problems = []
    for criterion in criteria:
        value = agreed.get(criterion.key)
        if value is None or not criterion.scale_min <= value <= criterion.scale_max:
            problems.append(f"{criterion.title}: agree a whole number from {criterion.scale_min} to "
                            f"{criterion.scale_max}.")
    if not note.strip():
        problems.append("Record the panel's reason for the moderated scores.")
    return problems
