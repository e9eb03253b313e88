"""E5-U and E4-MC: tornado (exact) and Monte Carlo (within the stated ranges) (T5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from boroughhub.evaluation import montecarlo, sensitivity
from boroughhub.evaluation.validate import load_spec

from .conftest import minimal_spec, money_close, write_spec

SEED = 20240116

E5_TORNADO = [  # rank, parameter, P10, P90, NPSV at P10, NPSV at P90, swing
    (1, "b1_gross", 192_347.95, 324_931.98, 101_619.22, 357_333.58, 255_714.36),
    (2, "b1_drop_off", 0.070000, 0.230000, 234_577.60, 128_512.21, 106_065.39),
    (3, "b1_attribution", 0.677460, 0.845228, 138_955.31, 240_072.09, 101_116.78),
    (4, "running_cost", 47_247.55, 58_633.35, 224_419.31, 176_406.59, 48_012.73),
]


def test_e5u_tornado_is_exact(e5_plan: Any) -> None:
    bars = [b for b in sensitivity.tornado(e5_plan, "central") if b.scope == "pilot"]
    assert [b.parameter for b in bars] == [row[1] for row in E5_TORNADO]
    for bar, (rank, _, lo, hi, n_lo, n_hi, swing) in zip(bars, E5_TORNADO, strict=True):
        assert bar.rank == rank
        if abs(lo) > 1:
            assert money_close(bar.low_value, lo) and money_close(bar.high_value, hi)
        else:
            assert bar.low_value == pytest.approx(lo, abs=1e-6) and bar.high_value == pytest.approx(hi, abs=1e-6)
        assert money_close(bar.npsv_low, n_lo) and money_close(bar.npsv_high, n_hi)
        assert money_close(bar.swing, swing)


def test_e5u_distribution_parameters(e5_plan: Any) -> None:
    d = e5_plan.parameters["b1_gross"].distribution
    assert d.mu == pytest.approx(12.429216196844383, abs=1e-12)
    assert d.sigma == pytest.approx(0.20456059500250032, abs=1e-12)
    assert e5_plan.parameters["running_cost"].distribution.alpha_beta == pytest.approx((1.8, 4.2))


def test_e5u_monte_carlo_within_acceptance_ranges(e5_plan: Any) -> None:
    run = montecarlo.run(e5_plan, "central", 10_000, SEED)
    s = next(x for x in run.summaries if x.scope == "pilot")
    assert abs(s.p_npsv_positive - 0.9581) <= 0.0060
    assert 1_176 <= s.npsv_p5 <= 10_346 and 144_735 <= s.npsv_p50 <= 152_494 and 343_724 <= s.npsv_p95 <= 362_403
    assert 1.0034 <= s.bcr_p5 <= 1.0297 and 1.4245 <= s.bcr_p50 <= 1.4476 and 2.0223 <= s.bcr_p95 <= 2.0791
    for band, ref, tol in (("Poor", 0.0419, 0.0060), ("Low", 0.5386, 0.0150), ("Medium", 0.3569, 0.0144),
                           ("High", 0.0626, 0.0073)):
        assert abs(s.band_shares[band] - ref) <= tol, band
    assert s.se == pytest.approx(np.sqrt(s.p_npsv_positive * (1 - s.p_npsv_positive) / 10_000))


def test_same_seed_gives_identical_results(e5_plan: Any) -> None:
    a = montecarlo.run(e5_plan, "central", 2_000, SEED)
    b = montecarlo.run(e5_plan, "central", 2_000, SEED)
    assert a.summaries == b.summaries
    assert np.array_equal(a.bcr_draws["pilot"], b.bcr_draws["pilot"])
    c = montecarlo.run(e5_plan, "central", 2_000, SEED + 1)
    assert a.summaries != c.summaries


def test_draws_follow_the_spec_order_of_calls(e5_plan: Any) -> None:
    drawn = montecarlo.draw_parameters(e5_plan, "central", 5, SEED)
    rng = np.random.Generator(np.random.PCG64(SEED))
    assert list(drawn) == ["b1_attribution", "b1_drop_off", "b1_gross", "running_cost"]
    assert np.array_equal(drawn["b1_attribution"], rng.triangular(0.6, 0.8, 0.9, 5))
    assert np.array_equal(drawn["b1_drop_off"], rng.uniform(0.05, 0.25, 5))


def test_e4_mc_analytic(tmp_path: Path) -> None:
    spec = minimal_spec(appraisal={"start_year": 2023, "end_year": 2023})
    spec["programme"]["monte_carlo"] = {"draws": 20_000, "seed": SEED}
    spec["parameters"] = {"loss": {"value": 2_000_000, "unit": "GBP", "prices": "real", "status": "assumed",
                                   "distribution": {"type": "triangular", "min": 1_140_000, "mode": 2_000_000,
                                                    "max": 12_200_000}}}
    spec["costs"] = [{"id": "c", "funder": "funder", "activity": "act", "status": "outturn", "prices": "real",
                      "amount_by_year": {2023: 242_000}}]
    spec["counterfactuals"] = [{"id": "attack", "kind": "avoided_loss", "events_by_year": {2023: 1},
                                "probability": 0.10, "loss": "$loss"}]
    spec["benefits"] = [{"id": "avoided", "activity": "act", "type": "non_cashable_fiscal", "beneficiary": "boroughs",
                         "counterfactual": "attack"}]
    plan = load_spec(write_spec(tmp_path, spec))
    s = next(x for x in montecarlo.run(plan, "central", 20_000, SEED).summaries if x.scope == "act")
    assert abs(s.p_npsv_positive - 0.847857) <= 0.0076
    assert 0.742548 <= s.bcr_p5 <= 0.768926
    assert 1.905110 <= s.bcr_p50 <= 1.970948
    assert 4.015549 <= s.bcr_p95 <= 4.106393
    for band, ref, tol in (("Poor", 0.152143, 0.0076), ("Low", 0.196819, 0.0084), ("Medium", 0.170862, 0.0080),
                           ("High", 0.423884, 0.0105), ("Very high", 0.056292, 0.0049)):
        assert abs(s.band_shares[band] - ref) <= tol, band
