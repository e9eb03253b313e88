"""The calculation of spec §5.2–§5.9 and §5.15, vectorised over draws.

``compute`` takes one array of values per parameter (length 1 for the central case, N for Monte
Carlo, 2 or 3 for sensitivity tests) and returns every flow as a (years × draws) array, so the
central case, scenarios, switching values, the tornado and Monte Carlo all run the same code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from boroughhub.evaluation.plan import Amount, Benefit, CostLine, Counterfactual, Plan

Array = NDArray[np.float64]
FISCAL = ("cashable_fiscal", "non_cashable_fiscal")
COUNTED = {"fiscal": FISCAL, "economic": (*FISCAL, "economic"), "social": (*FISCAL, "economic", "social")}


@dataclass
class Flows:
    """All flows in real base-year prices, each of shape (years, draws)."""

    n: int
    cost_nominal: dict[str, Array] = field(default_factory=dict)
    cost_real: dict[str, Array] = field(default_factory=dict)
    cost: dict[str, Array] = field(default_factory=dict)  # after optimism bias
    counted_costs: list[CostLine] = field(default_factory=list)
    core: dict[str, Array] = field(default_factory=dict)  # funder -> K_f(y)
    shares: dict[str, Array] = field(default_factory=dict)  # activity -> s_a(y)
    gross: dict[str, Array] = field(default_factory=dict)  # benefit -> G(y)
    net: dict[str, Array] = field(default_factory=dict)  # benefit -> N(y)
    counted_benefits: list[Benefit] = field(default_factory=list)
    weights: dict[str, Array] = field(default_factory=dict)  # organisation -> distributional weight (draws,)
    recipients: dict[str, list[tuple[str, Array]]] = field(default_factory=dict)  # benefit -> (org, share)

    def core_total(self, years: int) -> Array:
        total = np.zeros((years, self.n))
        for k in self.core.values():
            total = total + k
        return total


@dataclass(frozen=True)
class ScopeTotals:
    """Present values for one scope (an activity, ``assessed`` or ``programme``), each of shape (draws,)."""

    pvc: Array
    pvb: Array
    pvb_weighted: Array
    fiscal_public: Array  # PV of counted cashable fiscal benefits to public bodies (net_fiscal_in_costs)

    @property
    def npsv(self) -> Array:
        return self.pvb - self.pvc


def _value(a: Amount, values: Mapping[str, Array], plan: Plan, year_index: int) -> Array:
    v = a.value(values)
    return np.asarray(v * plan.deflate(a.money, year_index), dtype=np.float64)


def draws_in(values: Mapping[str, Array]) -> int:
    return max((len(v) for v in values.values()), default=1)


def compute(plan: Plan, values: Mapping[str, Array]) -> Flows:
    n_years = len(plan.years)
    n = draws_in(values)
    fl = Flows(n)
    public = {o.id for o in plan.organisations.values() if o.sector == "public"}
    fiscal = plan.settings.perspective == "fiscal"
    for line in plan.costs:
        if fiscal and line.funder not in public:
            continue
        nominal = np.zeros((n_years, n))
        real = np.zeros((n_years, n))
        if line.amounts is not None:
            for yi, a in line.amounts.items():
                nominal[yi] = a.value(values)
                real[yi] = _value(a, values, plan, yi)
        elif line.quantities is not None and line.unit_amount is not None:
            for yi, q in line.quantities.items():
                nominal[yi] = np.asarray(q.value(values)) * line.unit_amount.value(values)
                real[yi] = np.asarray(q.value(values)) * _value(line.unit_amount, values, plan, yi)
        obf: Array | float = 1.0
        if line.status == "estimate" and line.ob_uplift is not None and line.ob_mitigation is not None:
            obf = 1.0 + np.asarray(line.ob_uplift.value(values)) * (1.0 - np.asarray(line.ob_mitigation.value(values)))
        fl.cost_nominal[line.id] = nominal
        fl.cost_real[line.id] = real
        fl.cost[line.id] = real * obf
        fl.counted_costs.append(line)
        if line.target == "core":
            fl.core[line.funder] = fl.core.get(line.funder, np.zeros((n_years, n))) + fl.cost[line.id]
    for activity, by_year in plan.allocations.items():
        share = np.zeros((n_years, n))
        for yi, amounts in by_year.items():
            for a in amounts:
                share[yi] = share[yi] + a.value(values)
        fl.shares[activity] = share
    counted = COUNTED[plan.settings.perspective]
    for b in plan.benefits:
        gross = _gross(plan, b, values, n)
        fl.gross[b.id] = gross
        fl.net[b.id] = _net(b, gross, values)
        fl.recipients[b.id] = [(org, np.broadcast_to(np.asarray(share.value(values), dtype=np.float64), (n,)))
                               for org, share in b.beneficiaries]
        if b.monetised and b.type in counted:
            fl.counted_benefits.append(b)
    fl.weights = _weights(plan, values, n)
    return fl


def _gross(plan: Plan, b: Benefit, values: Mapping[str, Array], n: int) -> Array:
    gross = np.zeros((len(plan.years), n))
    if b.gross is not None:
        for yi, a in b.gross.items():
            gross[yi] = _value(a, values, plan, yi)
    elif b.counterfactual is not None:
        gross = counterfactual_value(plan, plan.counterfactuals[b.counterfactual], values, n)
    return gross


def counterfactual_value(plan: Plan, cf: Counterfactual, values: Mapping[str, Array], n: int) -> Array:
    """V(y) of spec §5.5, in real base-year prices."""
    out = np.zeros((len(plan.years), n))
    for yi, q in cf.quantities.items():
        v = np.asarray(q.value(values), dtype=np.float64)
        for f in cf.factors:
            v = v * _value(f, values, plan, yi)
        if cf.parties is not None:
            parties = np.asarray(cf.parties.value(values))
            v = v * (parties * (parties - 1) / 2 if cf.shape == "all_pairs" else parties - 1)
        out[yi] = v
    return out


def _net(b: Benefit, gross: Array, values: Mapping[str, Array]) -> Array:
    """N(y) = G(y) × F × (1 − drop_off)^(ȳ − ȳ₁), ȳ₁ the first year with G ≠ 0 (per draw)."""
    add = {k: np.asarray(a.value(values), dtype=np.float64) for k, a in b.additionality.items()}
    factor = ((1 - add["deadweight"]) * (1 - add["displacement"]) * (1 - add["leakage"])
              * (1 - add["substitution"]) * add["attribution"] * add["multiplier"])
    nonzero = gross != 0
    first = np.argmax(nonzero, axis=0)
    elapsed = np.clip(np.arange(gross.shape[0])[:, None] - first[None, :], 0, None)
    return np.asarray(gross * factor * (1 - add["drop_off"]) ** elapsed, dtype=np.float64)


def _weights(plan: Plan, values: Mapping[str, Array], n: int) -> dict[str, Array]:
    dw = plan.settings.distributional_weights
    out: dict[str, Array] = {}
    if not dw.enabled or dw.reference_income is None:
        return out
    eta = np.asarray(values[dw.elasticity[1:]] if isinstance(dw.elasticity, str) else dw.elasticity)
    ref = np.asarray(values[dw.reference_income[1:]] if isinstance(dw.reference_income, str) else dw.reference_income)
    for org in plan.organisations.values():
        if org.sector == "households" and org.income is not None:
            out[org.id] = np.broadcast_to((ref / np.asarray(org.income.value(values))) ** eta, (n,)).astype(float)
    return out


def pv(plan: Plan, flow: Array) -> Array:
    return np.asarray((plan.df[:, None] * flow).sum(axis=0), dtype=np.float64)


def activity_cost(plan: Plan, fl: Flows, activity: str) -> Array:
    """C_a(y): direct lines of the activity plus its share of the core pool (spec §5.4)."""
    total = np.zeros((len(plan.years), fl.n))
    for line in fl.counted_costs:
        if line.target == activity:
            total = total + fl.cost[line.id]
    if activity in fl.shares:
        total = total + fl.shares[activity] * fl.core_total(len(plan.years))
    return total


def unallocated_core(plan: Plan, fl: Flows) -> Array:
    allocated = sum((s for s in fl.shares.values()), np.zeros((len(plan.years), fl.n)))
    return (1 - allocated) * fl.core_total(len(plan.years))


def programme_cost(plan: Plan, fl: Flows) -> Array:
    """C(y) = Σ_a C_a(y) + programme lines + unallocated core = all counted direct lines + core pool."""
    total = fl.core_total(len(plan.years))
    for line in fl.counted_costs:
        if line.target != "core":
            total = total + fl.cost[line.id]
    return total


def totals(plan: Plan, fl: Flows) -> dict[str, ScopeTotals]:
    """Present values per activity, for the assessed activities together, and for the programme."""
    public = {o.id for o in plan.organisations.values() if o.sector == "public"}
    pv_net = {b.id: pv(plan, fl.net[b.id]) for b in fl.counted_benefits}
    zero = np.zeros(fl.n)

    def benefit_sums(bens: list[Benefit]) -> tuple[Array, Array, Array]:
        pvb, weighted, fiscal = zero.copy(), zero.copy(), zero.copy()
        for b in bens:
            pvb = pvb + pv_net[b.id]
            for org, share in fl.recipients[b.id]:
                part = pv_net[b.id] * share
                weighted = weighted + part * fl.weights.get(org, 1.0)
                if b.type == "cashable_fiscal" and org in public:
                    fiscal = fiscal + part
        return pvb, weighted, fiscal

    out: dict[str, ScopeTotals] = {}
    assessed = [zero, zero, zero, zero]
    for a in plan.activities:
        pvc = pv(plan, activity_cost(plan, fl, a))
        pvb, weighted, fiscal = benefit_sums([b for b in fl.counted_benefits if b.activity == a])
        out[a] = ScopeTotals(pvc, pvb, weighted, fiscal)
        assessed = [assessed[0] + pvc, assessed[1] + pvb, assessed[2] + weighted, assessed[3] + fiscal]
    out["assessed"] = ScopeTotals(*assessed)
    pvb, weighted, fiscal = benefit_sums(fl.counted_benefits)
    out["programme"] = ScopeTotals(pv(plan, programme_cost(plan, fl)), pvb, weighted, fiscal)
    return out


def bcr(plan: Plan, t: ScopeTotals) -> Array:
    """BCR per draw (NaN where undefined), under the programme's BCR convention (spec §5.9)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if plan.settings.bcr_convention == "net_fiscal_in_costs":
            denom = t.pvc - t.fiscal_public
            return np.where(denom > 0, (t.pvb - t.fiscal_public) / denom, np.nan)
        return np.where(t.pvc > 0, t.pvb / np.where(t.pvc > 0, t.pvc, 1.0), np.nan)


def evaluate_values(plan: Plan, values: Mapping[str, Array]) -> dict[str, ScopeTotals]:
    return totals(plan, compute(plan, values))
