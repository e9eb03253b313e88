"""Conflicts, justifications, who sees which scores, moderation spread and filling the budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from boroughhub.fund.scoring import (
    Criterion,
    CriterionScore,
    may_score,
    moderation_problems,
    score_problems,
    spread,
    visible_scores,
    weighted_total,
)
from boroughhub.fund.selection import Candidate, Outcome, funded_total, select

CRITERIA = [Criterion("outcome", "Clear outcome", 40), Criterion("feasibility", "Feasibility", 60)]
SCORES = [CriterionScore("ann", "outcome", 4, "clear"), CriterionScore("ann", "feasibility", 2, "thin plan"),
          CriterionScore("bob", "outcome", 5, "very clear"), CriterionScore("bob", "feasibility", 5, "strong"),
          CriterionScore("cat", "outcome", 1, "vague")]


def test_a_conflicted_assessor_cannot_score() -> None:
    assert "conflict" in (may_score("ann", ["ann"], submitted=False) or "")
    assert may_score("bob", ["ann"], submitted=False) is None
    assert may_score("bob", [], submitted=True) is not None


def test_each_score_needs_a_justification_and_a_value_on_the_scale() -> None:
    assert score_problems(CRITERIA[0], 3, "because") == []
    assert score_problems(CRITERIA[0], 3, "  ") == ["Clear outcome: write a justification for your score."]
    assert score_problems(CRITERIA[0], 6, "x") == ["Clear outcome: give a whole number from 0 to 5."]
    assert score_problems(CRITERIA[0], None, "x")


def test_an_assessor_sees_others_scores_only_after_submitting_their_own() -> None:
    assert {s.assessor for s in visible_scores("cat", SCORES, submitted_by=["ann", "bob"])} == {"cat"}
    assert {s.assessor for s in visible_scores("ann", SCORES, submitted_by=["ann", "bob"])} == {"ann", "bob", "cat"}
    assert len(visible_scores("zed", SCORES, submitted_by=[], panel=True)) == len(SCORES)


def test_moderation_spread_counts_submitted_scores_only() -> None:
    by = {s.criterion.key: s for s in spread(CRITERIA, SCORES, submitted_by=["ann", "bob"])}
    assert by["outcome"].scores == (4, 5) and by["outcome"].gap == 1
    assert by["feasibility"].gap == 3 and by["feasibility"].average == 3.5


def test_weighted_total_is_out_of_100() -> None:
    assert weighted_total(CRITERIA, {"outcome": 5, "feasibility": 5}) == 100.0
    assert weighted_total(CRITERIA, {"outcome": 5, "feasibility": 0}) == 40.0
    assert moderation_problems(CRITERIA, {"outcome": 4}, "") == [
        "Feasibility: agree a whole number from 0 to 5.", "Record the panel's reason for the moderated scores."]


T = datetime(2026, 7, 1, tzinfo=UTC)


def candidate(ref: str, score: float | None, pounds: int, minutes: int = 0) -> Candidate:
    return Candidate(ref, ref, score, pounds * 100, T + timedelta(minutes=minutes))


def test_selection_ranks_by_moderated_score_and_fills_the_budget() -> None:
    chosen = select([candidate("A", 80, 90_000), candidate("B", 75, 80_000), candidate("C", 70, 50_000),
                     candidate("D", 65, 30_000), candidate("E", 40, 10_000), candidate("F", None, 5_000)],
                    budget_pence=200_000 * 100, threshold=50)
    outcomes = {s.candidate.reference: s.outcome for s in chosen}
    assert outcomes == {"A": Outcome.FUNDED, "B": Outcome.FUNDED, "C": Outcome.RESERVE, "D": Outcome.FUNDED,
                        "E": Outcome.NOT_FUNDED, "F": Outcome.NOT_FUNDED}
    assert funded_total(chosen) == 200_000 * 100
    reserve = next(s for s in chosen if s.candidate.reference == "C")
    assert "£30,000 left" in reserve.reason and reserve.rank == 3
    assert "threshold" in next(s for s in chosen if s.candidate.reference == "E").reason


def test_ties_go_to_the_smaller_request_then_the_earlier_submission() -> None:
    chosen = select([candidate("late", 70, 10_000, 5), candidate("big", 70, 20_000), candidate("early", 70, 10_000)],
                    budget_pence=100_000 * 100, threshold=0)
    assert [s.candidate.reference for s in chosen] == ["early", "late", "big"]
