"""Worked examples E1–E5 of the evaluation spec (T2, T3, T4, T10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from boroughhub.evaluation.engine import compute, pv
from boroughhub.evaluation.results import evaluate_scenario
from boroughhub.evaluation.tables import builtin_tables
from boroughhub.evaluation.validate import load_spec

from .conftest import minimal_spec, money_close, write_spec


def _e1_spec() -> dict[str, Any]:
    spec = minimal_spec(appraisal={"start_year": 2020, "end_year": 2023})
    spec["organisations"] = [{"id": "boroughs", "name": "Member boroughs", "sector": "public"},
                             {"id": "gla", "name": "GLA", "sector": "public"},
                             {"id": "lc", "name": "London Councils", "sector": "public"}]
    years = {y: 27 for y in range(2020, 2024)}
    spec["costs"] = [
        {"id": "fees", "funder": "boroughs", "pool": "core", "status": "outturn", "quantity_by_year": years,
         "unit_amount": 30000, "prices": "real"},
        {"id": "gla", "funder": "gla", "pool": "core", "status": "outturn", "prices": "real",
         "amount_by_year": {y: 100000 for y in years}},
        {"id": "lc", "funder": "lc", "pool": "core", "status": "outturn", "prices": "real",
         "amount_by_year": {y: 100000 for y in years}},
    ]
    return spec


def test_e1_programme_cost_and_present_value(tmp_path: Path) -> None:
    plan = load_spec(write_spec(tmp_path, _e1_spec()))
    result = evaluate_scenario(plan, "central", with_switching=False)
    assert money_close(result.scopes["programme"].pvc, 3_839_653.35)
    paid = {o.organisation: o.pv_paid for o in result.who.organisations}
    assert money_close(paid["boroughs"], 3_079_325.95)
    assert money_close(paid["gla"], 380_163.70)
    assert money_close(paid["lc"], 380_163.70)
    assert float(plan.df.sum()) == pytest.approx(3.8016369809, abs=1e-9)
    undiscounted = sum(r["after_ob"] for r in result.cashflows if r["scope"] == "core")
    assert money_close(undiscounted, 4_040_000.00)
    # The common error (discounting from t = 1) is not what we produce.
    assert not money_close(result.scopes["programme"].pvc, 3_709_810.00)
    for yi, expected in enumerate([1_010_000.00, 975_845.41, 942_845.81, 910_962.13]):
        values = {k: np.array([v]) for k, v in plan.scenario_values("central").items()}
        flows = compute(plan, values)
        year_pv = sum(float(plan.df[yi] * k[yi, 0]) for k in flows.core.values())
        assert money_close(year_pv, expected)
    assert pv(plan, sum(compute(plan, {}).core.values()))[0] == pytest.approx(3_839_653.35, abs=0.01)


def _e2_spec(deadweight: float = 0.0) -> dict[str, Any]:
    spec = minimal_spec(appraisal={"start_year": 2023, "end_year": 2023}, switching_values="all")
    spec["parameters"] = {
        "hires": {"value": 30, "unit": "count", "status": "assumed"},
        "fee_rate": {"value": 0.2, "unit": "fraction", "status": "assumed"},
        "support_cost": {"value": 60000, "unit": "GBP", "prices": "real", "status": "assumed"},
    }
    spec["costs"] = [{"id": "c", "funder": "funder", "activity": "act", "status": "outturn",
                      "amount_by_year": {2023: "$support_cost"}}]
    spec["counterfactuals"] = [{"id": "agency", "kind": "market_price", "quantity_by_year": {2023: "$hires"},
                                "unit_price": 60000, "rate": "$fee_rate", "prices": "real"}]
    spec["benefits"] = [{"id": "fees", "activity": "act", "type": "cashable_fiscal", "beneficiary": "boroughs",
                         "counterfactual": "agency", "additionality": {"deadweight": deadweight}}]
    return spec


def _switching(result: Any, scope: str) -> dict[str, Any]:
    return {sv.parameter: sv for sv in result.switching_values if sv.scope == scope}


def test_e2_recruitment_support(tmp_path: Path) -> None:
    result = evaluate_scenario(load_spec(write_spec(tmp_path, _e2_spec())), "central")
    act = result.scopes["act"]
    assert money_close(act.pvb, 360_000.00) and money_close(act.pvc, 60_000.00)
    assert money_close(act.npsv, 300_000.00)
    assert act.bcr == pytest.approx(6.0, abs=1e-6) and act.vfm_band == "Very high"
    sv = _switching(result, "act")
    assert sv["fee_rate"].switching_value == pytest.approx(0.0333333, abs=1e-6)
    assert sv["fee_rate"].change_pct == pytest.approx(-83.33, abs=0.01)
    assert sv["hires"].switching_value == pytest.approx(5, abs=1e-6)
    assert money_close(sv["support_cost"].switching_value, 360_000.00)
    assert sv["support_cost"].change_pct == pytest.approx(500.0, abs=1e-6)
    assert {s.method for s in sv.values()} == {"closed_form"}


def test_e2_variant_with_deadweight(tmp_path: Path) -> None:
    act = evaluate_scenario(load_spec(write_spec(tmp_path, _e2_spec(0.2))), "central", False).scopes["act"]
    assert money_close(act.pvb, 288_000.00) and money_close(act.npsv, 228_000.00)
    assert act.bcr == pytest.approx(4.8, abs=1e-6) and act.vfm_band == "Very high"


def _e3_spec(shape: str, purposes: int = 1) -> dict[str, Any]:
    spec = minimal_spec(appraisal={"start_year": 2023, "end_year": 2023}, switching_values="all")
    spec["parameters"] = {
        "unit_cost": {"value": 2560, "unit": "GBP", "prices": "real", "status": "assumed"},
        "uptake": {"value": 1.0, "unit": "fraction", "status": "assumed"},
        "single_agreement": {"value": 36360, "unit": "GBP", "prices": "real", "status": "assumed"},
    }
    spec["costs"] = [{"id": "c", "funder": "funder", "activity": "act", "status": "outturn",
                      "amount_by_year": {2023: "$single_agreement"}}]
    spec["counterfactuals"] = [{"id": "dsa", "kind": "avoided_transactions", "year": 2023, "parties": 34,
                                "shape": shape, "purposes": purposes, "uptake": "$uptake",
                                "unit_cost": "$unit_cost"}]
    spec["benefits"] = [{"id": "time", "activity": "act", "type": "non_cashable_fiscal", "beneficiary": "boroughs",
                         "counterfactual": "dsa"}]
    return spec


def test_e3_pan_london_dsa_all_pairs(tmp_path: Path) -> None:
    result = evaluate_scenario(load_spec(write_spec(tmp_path, _e3_spec("all_pairs"))), "central")
    act = result.scopes["act"]
    assert money_close(act.pvb, 1_436_160.00) and money_close(act.pvc, 36_360.00)
    assert money_close(act.npsv, 1_399_800.00)
    assert act.bcr == pytest.approx(39.4983, abs=1e-4) and act.vfm_band == "Very high"
    sv = _switching(result, "act")
    assert money_close(sv["unit_cost"].switching_value, 64.81)
    assert sv["unit_cost"].change_pct == pytest.approx(-97.47, abs=0.005)
    assert sv["uptake"].switching_value == pytest.approx(0.0253175, abs=1e-6)
    assert round((1_400_000 + 36_360) / 561, 2) == 2560.36


def test_e3_hub_reading(tmp_path: Path) -> None:
    act = evaluate_scenario(load_spec(write_spec(tmp_path, _e3_spec("hub"))), "central", False).scopes["act"]
    assert money_close(act.pvb, 84_480.00) and money_close(act.npsv, 48_120.00)
    assert act.bcr == pytest.approx(2.3234, abs=1e-4) and act.vfm_band == "High"


@pytest.mark.parametrize(("loss", "bcr", "npsv", "pi_star"), [
    (1_140_000, 4.7107, 898_000.00, 0.212281), (2_000_000, 8.2645, 1_758_000.00, 0.121000),
    (10_400_000, 42.9752, 10_158_000.00, 0.023269), (8_700_000, 35.9504, 8_458_000.00, 0.027816),
    (12_200_000, 50.4132, 11_958_000.00, 0.019836)])
def test_e4_attack_surface_mapping_break_even(tmp_path: Path, loss: float, bcr: float, npsv: float,
                                              pi_star: float) -> None:
    spec = minimal_spec(appraisal={"start_year": 2023, "end_year": 2023}, switching_values="all")
    spec["parameters"] = {
        "probability": {"value": 1.0, "unit": "fraction", "status": "assumed"},
        "loss": {"value": loss, "unit": "GBP", "prices": "real", "status": "assumed"},
        "pilot_cost": {"value": 242000, "unit": "GBP", "prices": "real", "status": "assumed"},
    }
    spec["costs"] = [{"id": "c", "funder": "funder", "activity": "act", "status": "outturn",
                      "amount_by_year": {2023: "$pilot_cost"}}]
    spec["counterfactuals"] = [{"id": "attack", "kind": "avoided_loss", "events_by_year": {2023: 1},
                                "probability": "$probability", "loss": "$loss"}]
    spec["benefits"] = [{"id": "avoided", "activity": "act", "type": "non_cashable_fiscal", "beneficiary": "boroughs",
                         "counterfactual": "attack"}]
    result = evaluate_scenario(load_spec(write_spec(tmp_path, spec)), "central")
    act = result.scopes["act"]
    assert act.bcr == pytest.approx(bcr, abs=1e-4) and act.vfm_band == "Very high"
    assert money_close(act.npsv, npsv)
    sv = _switching(result, "act")
    assert sv["probability"].switching_value == pytest.approx(pi_star, abs=1e-6)
    assert money_close(sv["loss"].switching_value, 242_000.00)


E5_YEARS = [  # DF, cost nominal, cost real, cost x OBF, PV cost, B1 net, B2 net, PV benefits
    (1.0000000000, 100_000.00, 100_000.00, 120_500.00, 120_500.00, 0.00, 0.00, 0.00),
    (0.9661835749, 50_000.00, 49_019.61, 59_068.63, 57_071.14, 152_000.00, 16_875.00, 163_164.25),
    (0.9335107004, 50_000.00, 48_058.44, 57_910.42, 54_060.00, 136_800.00, 16_875.00, 143_457.26),
    (0.9019427057, 50_000.00, 47_116.12, 56_774.92, 51_207.73, 123_120.00, 16_875.00, 126_267.47),
    (0.8714422277, 50_000.00, 46_192.27, 55_661.69, 48_505.94, 110_808.00, 16_875.00, 111_268.36),
]


def test_e5_year_table(e5_plan: Any) -> None:
    values = {k: np.array([v]) for k, v in e5_plan.scenario_values("central").items()}
    fl = compute(e5_plan, values)
    for yi, (df, nominal, real, after_ob, pv_cost, b1, b2, pv_ben) in enumerate(E5_YEARS):
        assert e5_plan.df[yi] == pytest.approx(df, abs=1e-10)
        line = "setup" if yi == 0 else "running"
        assert money_close(float(fl.cost_nominal[line][yi, 0]), nominal)
        assert money_close(float(fl.cost_real[line][yi, 0]), real)
        assert money_close(float(fl.cost[line][yi, 0]), after_ob)
        assert money_close(float(fl.cost[line][yi, 0] * df), pv_cost)
        assert money_close(float(fl.net["b1"][yi, 0]), b1)
        assert money_close(float(fl.net["b2"][yi, 0]), b2)
        assert money_close(float((fl.net["b1"][yi, 0] + fl.net["b2"][yi, 0]) * df), pv_ben)


def test_e5_totals_band_and_switching_values(e5_plan: Any) -> None:
    result = evaluate_scenario(e5_plan, "central")
    pilot = result.scopes["pilot"]
    assert money_close(pilot.pvc, 331_344.80)
    assert money_close(pilot.pvb, 544_157.34)
    assert money_close(pilot.npsv, 212_812.53)
    assert pilot.bcr == pytest.approx(1.6423, abs=1e-4) and pilot.vfm_band == "Medium"
    b1 = sum(r["pv"] for r in result.cashflows if r["line_id"] == "b1")
    b2 = sum(r["pv"] for r in result.cashflows if r["line_id"] == "b2")
    assert money_close(b1, 482_174.12) and money_close(b2, 61_983.21)
    sv = _switching(result, "pilot")
    assert sv["b1_attribution"].switching_value == pytest.approx(0.446912, abs=1e-6)
    assert sv["b1_attribution"].change_pct == pytest.approx(-44.14, abs=0.005)
    assert money_close(sv["b1_gross"].switching_value, 139_659.92)
    assert money_close(sv["running_cost"].switching_value, 100_466.63)
    assert sv["running_cost"].change_pct == pytest.approx(100.93, abs=0.005)
    assert sv["b1_drop_off"].switching_value == pytest.approx(0.498091, abs=1e-6)
    assert sv["b1_drop_off"].method == "brent"
    assert sv["b1_drop_off"].change_pct == pytest.approx(398.09, abs=0.005)
    assert {sv[p].method for p in ("b1_attribution", "b1_gross", "running_cost")} == {"closed_form"}
    assert sv["ob_mitigation"].in_domain is False


@pytest.mark.parametrize(("ratio", "band"), [(0.99, "Poor"), (1.0, "Low"), (1.5, "Medium"), (2.0, "High"),
                                             (4.0, "Very high"), (None, "not defined")])
def test_t10_band_boundaries_belong_to_the_higher_band(ratio: float | None, band: str) -> None:
    assert builtin_tables()["dft_vfm_bands"].band(ratio) == band  # type: ignore[union-attr]


@pytest.mark.parametrize(("benefit", "band"), [(150, "Medium"), (400, "Very high")])
def test_t10_boundary_end_to_end(tmp_path: Path, benefit: float, band: str) -> None:
    spec = minimal_spec(appraisal={"start_year": 2023, "end_year": 2023})
    spec["costs"] = [{"id": "c", "funder": "funder", "activity": "act", "status": "outturn", "prices": "real",
                      "amount_by_year": {2023: 100}}]
    spec["benefits"] = [{"id": "b", "activity": "act", "type": "social", "beneficiary": "boroughs", "prices": "real",
                         "gross_by_year": {2023: benefit}}]
    act = evaluate_scenario(load_spec(write_spec(tmp_path, spec)), "central", False).scopes["act"]
    assert act.vfm_band == band


def test_pre_zero_flows_are_refused_or_compounded(tmp_path: Path) -> None:
    spec = minimal_spec(appraisal={"start_year": 2022, "end_year": 2023, "year_zero": 2023})
    spec["costs"] = [{"id": "c", "funder": "funder", "activity": "act", "status": "outturn", "prices": "real",
                      "amount_by_year": {2022: 1000}}]
    from boroughhub.evaluation.spec import SpecValidationError

    with pytest.raises(SpecValidationError) as exc:
        load_spec(write_spec(tmp_path, spec))
    assert [(i.code, i.path) for i in exc.value.report.errors] == [("pre_zero_flow", "costs[0].amount_by_year.2022")]
    spec["programme"]["appraisal"]["pre_zero_flows"] = "compound"
    act = evaluate_scenario(load_spec(write_spec(tmp_path, spec)), "central", False).scopes["act"]
    assert money_close(act.pvc, 1035.00)


def test_fiscal_perspective_counts_public_costs_and_fiscal_benefits_only(tmp_path: Path) -> None:
    spec = minimal_spec(appraisal={"start_year": 2023, "end_year": 2023}, perspective="fiscal")
    spec["organisations"].append({"id": "firm", "name": "Firm", "sector": "private"})
    spec["costs"] = [{"id": "public", "funder": "funder", "activity": "act", "status": "outturn", "prices": "real",
                      "amount_by_year": {2023: 100}},
                     {"id": "private", "funder": "firm", "activity": "act", "status": "outturn", "prices": "real",
                      "amount_by_year": {2023: 50}}]
    spec["benefits"] = [
        {"id": "saving", "activity": "act", "type": "cashable_fiscal", "beneficiary": "boroughs", "prices": "real",
         "gross_by_year": {2023: 300}},
        {"id": "wellbeing", "activity": "act", "type": "social", "beneficiary": "boroughs", "prices": "real",
         "gross_by_year": {2023: 1000}}]
    act = evaluate_scenario(load_spec(write_spec(tmp_path, spec)), "central", False).scopes["act"]
    assert (act.pvc, act.pvb) == (100.0, 300.0)
