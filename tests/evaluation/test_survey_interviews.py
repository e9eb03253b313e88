"""E6 (survey item) and E7 (Cohen's kappa) (T6), plus the example's survey and interviews."""

from __future__ import annotations

from typing import Any

import pytest

from boroughhub.evaluation.interviews import analyse_interviews, landis_koch
from boroughhub.evaluation.survey import analyse_item, analyse_survey, net_score, wilson, z_value

E6_CELLS = ["1"] + ["2"] * 2 + ["3"] * 4 + ["4"] * 21 + ["5"] * 17 + ["DK"] * 2


def test_e6_wilson_and_net_score_without_fpc() -> None:
    assert z_value(0.95) == pytest.approx(1.959963984540054, abs=1e-12)
    item = analyse_item("q1", "gets things done", E6_CELLS, {"DK"}, 0.95, None, 10, 5)
    assert (item.n_valid, item.agree, item.disagree, item.n_missing) == (45, 38, 3, 2)
    assert item.top2 is not None and item.net is not None
    assert item.top2.estimate == pytest.approx(38 / 45)
    assert item.top2.lo == pytest.approx(0.7121609, abs=1e-6) and item.top2.hi == pytest.approx(0.9225458, abs=1e-6)
    assert item.net.estimate * 100 == pytest.approx(77.78, abs=0.005)
    _, var = net_score(38, 3, 45)
    assert var == pytest.approx(0.0068038409, abs=1e-9)
    assert item.net.lo * 100 == pytest.approx(61.61, abs=0.005) and item.net.hi * 100 == pytest.approx(93.94, abs=0.005)
    assert item.flags == []


def test_e6_with_finite_population_correction() -> None:
    item = analyse_item("q1", "gets things done", E6_CELLS, {"DK"}, 0.95, 135, 10, 5)
    assert item.fpc == pytest.approx(90 / 134) and item.n_eff == pytest.approx(67.0, abs=1e-9)
    assert item.top2 is not None and item.net is not None
    assert item.top2.lo == pytest.approx(0.7393264, abs=1e-6) and item.top2.hi == pytest.approx(0.9122067, abs=1e-6)
    assert item.net.lo * 100 == pytest.approx(64.53, abs=0.005) and item.net.hi * 100 == pytest.approx(91.03, abs=0.005)


def test_e6_further_wilson_checks_and_small_numbers() -> None:
    interval, _, _ = wilson(40, 45)
    assert (round(interval.lo * 100, 2), round(interval.hi * 100, 2)) == (76.50, 95.16)
    small = analyse_item("q", "t", ["4"] * 7 + ["2"], set(), 0.95, None, 10, 5)
    assert small.top2 is not None
    assert (round(small.top2.lo * 100, 2), round(small.top2.hi * 100, 2)) == (52.91, 97.76)
    assert "small_n" in small.flags and not small.suppressed
    tiny = analyse_item("q", "t", ["4", "4", "5", "1"], set(), 0.95, None, 10, 5)
    assert tiny.suppressed and tiny.top2 is None and tiny.net is None


def test_census_has_zero_width() -> None:
    item = analyse_item("q", "t", ["4"] * 6 + ["1"] * 4, set(), 0.95, 10, 10, 5)
    assert "census" in item.flags and item.top2 is not None and item.top2.lo == item.top2.hi == 0.6


def test_example_survey(example_plan: Any) -> None:
    s = analyse_survey(example_plan.survey)
    assert (s.respondents, s.population_total) == (47, 135)
    groups = {g.organisation: g for g in s.group_rates}
    assert (groups["borough_group=inner"].respondents, groups["borough_group=inner"].invited) == (22, 56)
    assert (groups["borough_group=outer"].respondents, groups["borough_group=outer"].invited) == (25, 79)
    q6 = next(i for i in s.items if i.item == "q6")
    assert q6.top2 is not None
    assert round(q6.top2.estimate * 100, 1) == 27.7
    assert (round(q6.top2.lo * 100, 1), round(q6.top2.hi * 100, 1)) == (18.6, 39.0)
    diff = next(d for d in s.differences if d.item == "q6")
    assert diff.diff is not None and round(diff.diff.estimate * 100, 1) == -34.9
    assert (round(diff.diff.lo * 100, 1), round(diff.diff.hi * 100, 1)) == (-56.0, -10.9)
    assert "interval_excludes_zero" in diff.flags


def test_e7_cohens_kappa(example_plan: Any) -> None:
    iv = analyse_interviews(example_plan.interviews, list(example_plan.activities))
    overall = next(a for a in iv.agreement if a.scope == "overall")
    assert overall.n_excerpts == 12
    assert overall.p_o == pytest.approx(10 / 12) and overall.p_e == pytest.approx(21 / 144)
    assert overall.kappa == pytest.approx(33 / 41, abs=1e-9) and overall.label == "substantial"
    assert not [w for w in iv.warnings if w.code == "kappa_few_excerpts"]
    assert iv.coverage["capacity"] == 4 and iv.coverage["time_and_cost_saving"] == 4


@pytest.mark.parametrize(("kappa", "label"), [(-0.1, "poor"), (0.2, "slight"), (0.804878, "substantial"),
                                              (0.805, "almost perfect"), (None, "not defined")])
def test_landis_koch_labels_use_the_rounded_value(kappa: float | None, label: str) -> None:
    assert landis_koch(kappa) == label
