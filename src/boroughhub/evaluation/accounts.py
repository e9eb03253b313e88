"""Who pays and who benefits (spec §5.16) and the cash-flow table (spec §8.1 ``cashflows.csv``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from boroughhub.evaluation.engine import Flows, pv, unallocated_core
from boroughhub.evaluation.plan import Plan


@dataclass(frozen=True)
class OrganisationAccount:
    organisation: str
    name: str
    sector: str
    pv_paid: float
    pv_received: float
    pv_received_weighted: float

    @property
    def net(self) -> float:
        return self.pv_received - self.pv_paid


@dataclass(frozen=True)
class MatrixCell:
    activity: str  # activity id, "programme" or "unallocated_core"
    organisation: str
    pv_paid: float
    pv_received: float


@dataclass
class WhoPays:
    organisations: list[OrganisationAccount]
    matrix: list[MatrixCell]
    pv_by_funder: dict[str, float]
    unallocated_core_pv: float
    cost_by_funder_year: list[dict[str, Any]]  # year, funder, real cost (unallocated core split out)


def who_pays(plan: Plan, fl: Flows) -> WhoPays:
    years = len(plan.years)
    paid: dict[tuple[str, str], float] = {}
    received: dict[tuple[str, str], float] = {}
    weighted: dict[str, float] = {}
    allocated = sum((s for s in fl.shares.values()), np.zeros((years, fl.n)))
    for line in fl.counted_costs:
        if line.target != "core":
            key = (line.target, line.funder)
            paid[key] = paid.get(key, 0.0) + float(pv(plan, fl.cost[line.id])[0])
    for funder, k in fl.core.items():
        for activity, share in fl.shares.items():
            key = (activity, funder)
            paid[key] = paid.get(key, 0.0) + float(pv(plan, share * k)[0])
        key = ("unallocated_core", funder)
        paid[key] = paid.get(key, 0.0) + float(pv(plan, (1 - allocated) * k)[0])
    for b in fl.counted_benefits:
        total = float(pv(plan, fl.net[b.id])[0])
        for org, share in fl.recipients[b.id]:
            key = (b.activity, org)
            part = total * float(share[0])
            received[key] = received.get(key, 0.0) + part
            weighted[org] = weighted.get(org, 0.0) + part * float(fl.weights.get(org, np.ones(1))[0])
    orgs = []
    for o in plan.organisations.values():
        p_ = sum(v for (_, org), v in paid.items() if org == o.id)
        r_ = sum(v for (_, org), v in received.items() if org == o.id)
        orgs.append(OrganisationAccount(o.id, o.name, o.sector, p_, r_, weighted.get(o.id, 0.0)))
    rows = [*plan.activities, "programme", "unallocated_core"]
    matrix = [MatrixCell(a, o, paid.get((a, o), 0.0), received.get((a, o), 0.0))
              for a in rows for o in plan.organisations if (a, o) in paid or (a, o) in received]
    by_year = _cost_by_funder_year(plan, fl, allocated)
    return WhoPays(orgs, matrix, {a.organisation: a.pv_paid for a in orgs if a.pv_paid},
                   float(pv(plan, unallocated_core(plan, fl))[0]), by_year)


def _core_rows(plan: Plan, fl: Flows, add: Any) -> None:
    years = range(len(plan.years))
    allocated = sum((s for s in fl.shares.values()), np.zeros((len(plan.years), fl.n)))
    for funder, k in fl.core.items():
        for activity, share in fl.shares.items():
            for yi in years:
                if share[yi, 0] * k[yi, 0]:
                    add(yi, activity, "core_allocation", "cost", funder, None, None, float(share[yi, 0] * k[yi, 0]),
                        None)
        for yi in years:
            u = float((1 - allocated[yi, 0]) * k[yi, 0])
            if u:
                add(yi, "programme", "unallocated_core", "cost", funder, None, None, u, None)


def _cost_by_funder_year(plan: Plan, fl: Flows, allocated: np.ndarray) -> list[dict[str, Any]]:
    by_year: list[dict[str, Any]] = []
    for yi in range(len(plan.years)):
        for funder in plan.organisations:
            direct = sum(float(fl.cost[line.id][yi, 0]) for line in fl.counted_costs
                         if line.funder == funder and line.target != "core")
            core = fl.core.get(funder)
            allocated_part = float(core[yi, 0] * allocated[yi, 0]) if core is not None else 0.0
            unalloc_part = float(core[yi, 0] * (1 - allocated[yi, 0])) if core is not None else 0.0
            if direct + allocated_part:
                by_year.append({"year": plan.label(yi), "funder": funder, "part": "activities and programme lines",
                                "real": direct + allocated_part})
            if unalloc_part:
                by_year.append({"year": plan.label(yi), "funder": funder, "part": "unallocated core",
                                "real": unalloc_part})
    return by_year


def cashflows(plan: Plan, fl: Flows, scenario: str) -> list[dict[str, Any]]:
    """One row per line, organisation and year with a non-zero flow (draw 0 of ``fl``)."""
    rows: list[dict[str, Any]] = []
    df = plan.df

    def add(yi: int, scope: str, line: str, kind: str, org: str, nominal: float | None, real: float | None,
            after_ob: float | None, net: float | None) -> None:
        value = after_ob if kind == "cost" else net
        rows.append({"scenario": scenario, "year": plan.label(yi), "t": plan.years[yi] - plan.year_zero,
                     "df": float(df[yi]), "scope": scope, "line_id": line, "kind": kind, "organisation": org,
                     "nominal": nominal, "real": real, "after_ob": after_ob, "net_of_additionality": net,
                     "pv": None if value is None else value * float(df[yi])})

    years = range(len(plan.years))
    for line in fl.counted_costs:
        for yi in years:
            c = float(fl.cost[line.id][yi, 0])
            if c:
                add(yi, line.target, line.id, "cost", line.funder, float(fl.cost_nominal[line.id][yi, 0]),
                    float(fl.cost_real[line.id][yi, 0]), c, None)
    _core_rows(plan, fl, add)
    for b in fl.counted_benefits:
        for org, share in fl.recipients[b.id]:
            for yi in years:
                if fl.net[b.id][yi, 0] or fl.gross[b.id][yi, 0]:
                    add(yi, b.activity, b.id, "benefit", org, None, float(fl.gross[b.id][yi, 0] * share[0]), None,
                        float(fl.net[b.id][yi, 0] * share[0]))
    return rows
