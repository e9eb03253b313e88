"""Submission rules: late, over the maximum, eligibility; close time shown in London time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from boroughhub.fund.rules import (
    ApplicationFacts,
    RoundStatus,
    RoundTerms,
    london_time,
    round_status,
    submission_problems,
)

OPENS = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 7, 3, 16, 0, tzinfo=UTC)  # 5pm in London (BST)
TERMS = RoundTerms(OPENS, CLOSES, maximum_pence=8_000_000, minimum_partner_boroughs=1)
GOOD = ApplicationFacts("hackney", True, ["southwark"], 7_500_000, "Older residents stay independent at home")


def test_on_time_and_within_rules_is_accepted() -> None:
    assert submission_problems(TERMS, GOOD, CLOSES - timedelta(seconds=1)) == []


def test_late_submission_is_refused_with_the_close_time_in_london_time() -> None:
    problems = submission_problems(TERMS, GOOD, CLOSES)
    assert problems == ["This round closed at 3 July 2026, 5:00pm (London time): applications can no longer be "
                        "submitted."]


def test_london_time_in_winter_is_gmt() -> None:
    assert london_time(datetime(2026, 12, 7, 12, 30, tzinfo=UTC)) == "7 December 2026, 12:30pm"


def test_over_the_round_maximum_is_refused() -> None:
    over = ApplicationFacts("hackney", True, ["southwark"], 8_000_001, "x")
    problems = submission_problems(TERMS, over, OPENS)
    assert len(problems) == 1 and "£80,000.01" in problems[0] and "maximum of £80,000" in problems[0]


def test_eligibility_needs_a_lead_borough_and_partner_boroughs() -> None:
    alone = ApplicationFacts("provider-a", False, ["provider-a"], 100, " ")
    problems = submission_problems(TERMS, alone, OPENS)
    assert any("lead organisation must be a London borough" in p for p in problems)
    assert any("at least 1 partner borough" in p for p in problems)
    assert any("outcome statement" in p for p in problems)


def test_round_status_follows_the_clock() -> None:
    assert round_status(OPENS, CLOSES, False, OPENS - timedelta(1)) is RoundStatus.DRAFT
    assert round_status(OPENS, CLOSES, False, OPENS) is RoundStatus.OPEN
    assert round_status(OPENS, CLOSES, False, CLOSES) is RoundStatus.CLOSED
    assert round_status(OPENS, CLOSES, True, CLOSES) is RoundStatus.DECIDED
