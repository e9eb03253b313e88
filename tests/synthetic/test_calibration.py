"""Calibration: the cohorts of metrics.md section 4 against the published London figures.

Published counts scale with ``scale`` (the annual cohorts are planned from them), so the check runs
at a tenth of London, CHAIN only. The full-scale check for three seeds is recorded in
docs/synthetic.md.
"""

from __future__ import annotations

from datetime import date

import pytest

from boroughhub.synthetic import generate
from boroughhub.synthetic.calibration import Comparison, compare

SCALE = 0.1


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory: pytest.TempPathFactory) -> list[Comparison]:
    out = tmp_path_factory.mktemp("calibration")
    generate(out, areas="all", start=date(2019, 4, 1), end=date(2025, 3, 31), scale=SCALE, seed=3,
             sources=("chain",))
    return compare(out, date(2019, 4, 1), date(2025, 3, 31), SCALE)


def test_annual_cohorts_within_15_percent(comparisons: list[Comparison]) -> None:
    annual = [c for c in comparisons if c.measure in ("chain_total", "chain_flow", "chain_stock", "chain_returner")]
    assert len(annual) == 12  # 2021/22, 2022/23, 2023/24 x 4
    assert [c for c in annual if not c.within_tolerance] == []


def test_quarterly_totals_and_new_people_within_15_percent(comparisons: list[Comparison]) -> None:
    quarterly = [c for c in comparisons if c.measure in ("chain_q_total", "chain_q_new")]
    assert len(quarterly) >= 12
    assert [c for c in quarterly if not c.within_tolerance] == []


def test_living_on_the_streets_close_at_a_tenth_of_london(comparisons: list[Comparison]) -> None:
    # About 50 people a quarter at this scale: sampling noise alone is about 14%, so allow 35%.
    lots = [c for c in comparisons if c.measure == "chain_q_lots"]
    assert len(lots) == 6
    assert [c for c in lots if abs(c.ratio - 1) > 0.35] == []


def test_people_mix_close_to_published_shares(comparisons: list[Comparison]) -> None:
    shares = [c for c in comparisons if c.kind == "share"]
    assert {c.measure for c in shares} >= {"share male", "share uk", "share romanian", "share new seen one night"}
    assert [c for c in shares if not c.within_tolerance] == []


def test_tolerance_is_relative_for_counts_and_in_points_for_shares() -> None:
    assert Comparison("x", "p", 100, 115, "count").within_tolerance
    assert not Comparison("x", "p", 100, 116, "count").within_tolerance
    assert Comparison("x", "p", 45.0, 49.9, "share").within_tolerance
    assert not Comparison("x", "p", 45.0, 50.5, "share").within_tolerance
