"""``evaluate``: run every calculation on a validated plan and collect typed results (spec §5, §8.1)."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import scipy

from boroughhub.evaluation import accounts, montecarlo, sensitivity
from boroughhub.evaluation.engine import ScopeTotals, bcr, compute, totals
from boroughhub.evaluation.interviews import InterviewResults, analyse_interviews
from boroughhub.evaluation.plan import Plan
from boroughhub.evaluation.spec import SpecIssue
from boroughhub.evaluation.survey import SurveyResults, analyse_survey

ENGINE_VERSION = "1.0.0"
SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class ScopeResult:
    scope: str
    name: str
    evidence_grade: str | None
    indicative: bool
    pvc: float
    pvb: float
    npsv: float
    bcr: float | None
    vfm_band: str
    pvb_weighted: float
    npsv_weighted: float
    bcr_weighted: float | None
    flags: list[str]


@dataclass
class ScenarioResult:
    id: str
    description: str
    scopes: dict[str, ScopeResult]
    switching_values: list[sensitivity.SwitchingValue]
    who: accounts.WhoPays
    cashflows: list[dict[str, Any]]


@dataclass
class Results:
    plan: Plan
    meta: dict[str, Any]
    headline: str  # the scenario the report leads with (MC and tornado run on it)
    scenarios: dict[str, ScenarioResult]
    monte_carlo: montecarlo.MonteCarloRun | None
    tornado: list[sensitivity.TornadoBar]
    parameter_log: list[dict[str, Any]]
    table_log: list[dict[str, Any]]
    survey: SurveyResults | None
    interviews: InterviewResults | None
    warnings: list[SpecIssue] = field(default_factory=list)

    @property
    def central(self) -> ScenarioResult:
        return self.scenarios[self.headline]


def _scope_result(plan: Plan, scope: str, t: ScopeTotals) -> ScopeResult:
    ratio = float(bcr(plan, t)[0])
    ratio_or_none = None if np.isnan(ratio) else ratio
    flags = []
    if plan.settings.bcr_convention == "net_fiscal_in_costs" and ratio_or_none is None and t.pvc[0] > 0:
        flags.append("self_financing")
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr_w = float(t.pvb_weighted[0] / t.pvc[0]) if t.pvc[0] > 0 else None
    act = plan.activities.get(scope)
    name = act.name if act else {"assessed": "Assessed activities", "programme": "Programme (all spending)"}[scope]
    return ScopeResult(scope, name, act.grade if act else None, bool(act and act.indicative), float(t.pvc[0]),
                       float(t.pvb[0]), float(t.npsv[0]), ratio_or_none, plan.vfm_bands.band(ratio_or_none),
                       float(t.pvb_weighted[0]), float(t.pvb_weighted[0] - t.pvc[0]), bcr_w, flags)


def evaluate_scenario(plan: Plan, scenario: str, with_switching: bool = True) -> ScenarioResult:
    values = {k: np.array([v]) for k, v in plan.scenario_values(scenario).items()}
    fl = compute(plan, values)
    scopes = {k: _scope_result(plan, k, t) for k, t in totals(plan, fl).items()}
    desc = "Central case: the spec with no overrides." if scenario == "central" else \
        plan.scenarios[scenario].description
    sv = sensitivity.switching_values(plan, scenario) if with_switching else []
    return ScenarioResult(scenario, desc, scopes, sv, accounts.who_pays(plan, fl),
                          accounts.cashflows(plan, fl, scenario))


def simulates(plan: Plan, scenario: str | None = None, monte_carlo: bool = True, seed: int | None = None) -> bool:
    """Whether ``evaluate`` runs the Monte Carlo simulation (so the command shows its progress only then)."""
    mc_settings = plan.settings.monte_carlo
    run_seed = seed if seed is not None else mc_settings.seed
    return bool(monte_carlo and mc_settings.enabled and plan.scenario_distributions(scenario or mc_settings.scenario)
                and run_seed is not None)


def evaluate(plan: Plan, scenario: str | None = None, draws: int | None = None, seed: int | None = None,
             monte_carlo: bool = True, progress: Callable[[int, int], None] | None = None) -> Results:
    """Compute every result of spec §5–§7 for a validated plan."""
    mc_settings = plan.settings.monte_carlo
    headline = scenario or mc_settings.scenario
    if headline != "central" and headline not in plan.scenarios:
        raise KeyError(f"scenario {headline!r} is not defined")
    warnings = list(plan.warnings)
    scenarios = {sid: evaluate_scenario(plan, sid) for sid in ["central", *plan.scenarios]}
    for sc in scenarios.values():
        for sv in sc.switching_values:
            if not sv.in_domain:
                warnings.append(SpecIssue("warning", "no_switching_value_in_domain", plan.spec_file.name, None, None,
                                      None, sv.switching_value,
                                      f"{sc.id}, {sv.scope}: no switching value of {sv.parameter} in its domain"))
    _pool_warnings(plan, scenarios, warnings)
    run = None
    n_draws = draws or mc_settings.draws
    run_seed = seed if seed is not None else mc_settings.seed
    if run_seed is not None and simulates(plan, headline, monte_carlo, run_seed):
        run = montecarlo.run(plan, headline, n_draws, run_seed, progress)
        for s in run.summaries:
            if s.se > 0.01:
                warnings.append(SpecIssue("warning", "mc_standard_error_high", plan.spec_file.name, None, None, None, s.se,
                                      f"{s.scope}: Monte Carlo SE of P(NPSV > 0) is {s.se:.4f} (> 0.01)"))
    survey = analyse_survey(plan.survey) if plan.survey is not None else None
    interviews = analyse_interviews(plan.interviews, list(plan.activities)) if plan.interviews is not None else None
    warnings += (survey.warnings if survey else []) + (interviews.warnings if interviews else [])
    meta = {
        "engine_version": ENGINE_VERSION, "schema_version": SCHEMA_VERSION,
        "spec_file": plan.spec_file.name, "spec_sha256": plan.spec_sha256, "files_sha256": plan.file_sha256,
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "numpy": np.__version__, "scipy": scipy.__version__, "python": platform.python_version(),
        "monte_carlo": {"scenario": headline, "draws": n_draws if run else 0, "seed": run_seed},
        "bootstrap_seed": plan.survey.settings.bootstrap.seed if plan.survey and plan.survey.settings.bootstrap
        else None,
    }
    return Results(plan, meta, headline, scenarios, run, sensitivity.tornado(plan, headline),
                   parameter_log(plan), table_log(plan), survey, interviews, warnings)


def _pool_warnings(plan: Plan, scenarios: dict[str, ScenarioResult], warnings: list[SpecIssue]) -> None:
    core_years = {r["year"] for r in scenarios["central"].cashflows if r["scope"] == "core" and r["after_ob"]}
    for activity, by_year in plan.allocations.items():
        for yi in by_year:
            if plan.label(yi) not in core_years:
                warnings.append(SpecIssue("warning", "allocation_without_pool", plan.spec_file.name, "core_allocation",
                                      None, None, plan.label(yi),
                                      f"{activity} has a core allocation in {plan.label(yi)}, when the core pool is 0"))


def parameter_log(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for pid in sorted(plan.parameters):
        p = plan.parameters[pid]
        rows.append({
            "id": pid, "value": p.value, "unit": p.unit, "prices": p.prices, "price_year": p.price_year,
            "status": p.status, "source": p.source, "vintage": p.vintage, "note": p.note,
            "distribution": p.distribution.describe() if p.distribution else None,
            "used_by": sorted(set(plan.used_by.get(pid, []))),
            "overridden_in": [s.id for s in plan.scenarios.values() if pid in s.overridden],
        })
    from boroughhub.evaluation.tables import UnitValues

    for tid in plan.used_tables:
        table = plan.tables[tid]
        if isinstance(table, UnitValues):
            for e in table.entries.values():
                rows.append({"id": f"{tid}:{e.code}", "value": e.value, "unit": e.unit, "prices": "nominal",
                             "price_year": str(e.price_year), "status": e.status, "source": e.source or table.info.source,
                             "vintage": e.vintage or table.info.vintage, "note": e.description, "distribution": None,
                             "used_by": sorted({f"counterfactual {c.id}" for c in plan.counterfactuals.values()
                                                if c.unit_value_code == e.code}), "overridden_in": []})
    return rows


def table_log(plan: Plan) -> list[dict[str, Any]]:
    return [{"table_id": t, "kind": plan.tables[t].info.kind, "source": plan.tables[t].info.source,
             "vintage": plan.tables[t].info.vintage, "note": plan.tables[t].info.note} for t in plan.used_tables]
