"""An outcome indicator's chart and the sentence beside it."""

from __future__ import annotations

from boroughhub.projects.indicator_chart import indicator_chart, progress_summary


def test_progress_is_measured_from_baseline_to_target_either_way() -> None:
    assert progress_summary("Falls a month", 40, 20, [("Q1", 35), ("Q2", 31)], "falls") == (
        "Falls a month: 31 falls in Q2, 45% of the way from the baseline of 40 to the target of 20.")
    assert "no actuals yet" in progress_summary("Referrals", 0, 100, [])


def test_the_chart_draws_the_actuals_and_both_references() -> None:
    assert indicator_chart("Falls", 40, 20, []) is None
    chart = indicator_chart("Falls a month", 40, 20, [("2026-27 Q1", 35), ("2026-27 Q2", 31)])
    assert chart is not None
    svg = chart.svg()
    assert svg.startswith("<svg") and "Baseline 40" in svg and "Target 20" in svg and "2026-27 Q2" in svg
