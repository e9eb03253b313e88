"""Switching values (spec §5.11) and the one-way tornado (spec §5.14)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from boroughhub.evaluation.engine import Array, evaluate_values
from boroughhub.evaluation.plan import Plan


@dataclass(frozen=True)
class SwitchingValue:
    scenario: str
    scope: str
    parameter: str
    central: float
    switching_value: float | None
    change_pct: float | None
    method: str | None  # closed_form | brent | None (no root)
    in_domain: bool


@dataclass(frozen=True)
class TornadoBar:
    scope: str
    rank: int
    parameter: str
    low_value: float
    high_value: float
    npsv_low: float
    npsv_high: float
    swing: float


def _arrays(values: dict[str, float]) -> dict[str, Array]:
    return {k: np.array([v]) for k, v in values.items()}


def selected_parameters(plan: Plan, scenario: str) -> list[str]:
    setting = plan.settings.switching_values
    if isinstance(setting, list):
        return list(setting)
    if setting == "all":
        return sorted(plan.parameters)
    return sorted(plan.scenario_distributions(scenario))


def switching_values(plan: Plan, scenario: str) -> list[SwitchingValue]:
    base = plan.scenario_values(scenario)
    out: list[SwitchingValue] = []
    for pid in selected_parameters(plan, scenario):
        lo, hi = plan.parameters[pid].domain
        x0 = base[pid]
        h = 0.01 * max(abs(x0), 1.0)
        if not lo <= x0 + 2 * h <= hi:
            h = -h
        values = _arrays(base)
        values[pid] = np.array([x0, x0 + h, x0 + 2 * h])
        triple = {scope: t.npsv for scope, t in evaluate_values(plan, values).items()}
        for scope, (n0, n1, n2) in triple.items():
            if abs(n1 - n0) <= 1e-9 * max(1.0, abs(n0)):
                continue
            out.append(_one(plan, base, scenario, scope, pid, x0, h, (float(n0), float(n1), float(n2))))
    return out


def _one(plan: Plan, base: dict[str, float], scenario: str, scope: str, pid: str, x0: float, h: float,
         n: tuple[float, float, float]) -> SwitchingValue:
    lo, hi = plan.parameters[pid].domain
    n0, n1, n2 = n
    if abs(n2 - 2 * n1 + n0) <= 1e-9 * max(1.0, abs(n0), abs(n1), abs(n2)):
        slope = (n1 - n0) / h
        x = x0 - n0 / slope
        return SwitchingValue(scenario, scope, pid, x0, x, _change(x, x0), "closed_form", lo <= x <= hi)

    def f(x: float) -> float:
        values = _arrays(base)
        values[pid] = np.array([x])
        return float(evaluate_values(plan, values)[scope].npsv[0])

    scale = max(1.0, abs(x0))
    candidates: list[float] = []
    for a, b in ((lo, x0), (x0, hi)):
        a_, b_ = _bracket(f, a, b, x0, scale)
        if a_ is not None and b_ is not None:
            root = float(brentq(f, a_, b_, xtol=1e-10 * scale))
            candidates.append(root)
    if not candidates:
        return SwitchingValue(scenario, scope, pid, x0, None, None, None, False)
    x = min(candidates, key=lambda r: abs(r - x0))
    return SwitchingValue(scenario, scope, pid, x0, x, _change(x, x0), "brent", True)


def _bracket(f: object, a: float, b: float, x0: float, scale: float) -> tuple[float | None, float | None]:
    """Find a sign change on [a, b], expanding an infinite end as ±scale × 2^k (k = 1…60)."""
    assert callable(f)
    fa_end, fb_end = a, b
    if math.isinf(a):
        for k in range(1, 61):
            fa_end = x0 - scale * 2**k
            if np.sign(f(fa_end)) != np.sign(f(b)):
                break
        else:
            return None, None
    if math.isinf(b):
        for k in range(1, 61):
            fb_end = x0 + scale * 2**k
            if np.sign(f(fa_end)) != np.sign(f(fb_end)):
                break
        else:
            return None, None
    if fa_end == fb_end:
        return None, None
    va, vb = f(fa_end), f(fb_end)
    if va == 0:
        return fa_end, fa_end + 1e-12 * scale if vb != 0 else None
    if np.sign(va) == np.sign(vb):
        return None, None
    return fa_end, fb_end


def _change(x: float, x0: float) -> float | None:
    return None if x0 == 0 else (x - x0) / abs(x0) * 100


def tornado(plan: Plan, scenario: str) -> list[TornadoBar]:
    base = plan.scenario_values(scenario)
    lq, hq = plan.settings.tornado.low_quantile, plan.settings.tornado.high_quantile
    central = {scope: float(t.npsv[0]) for scope, t in evaluate_values(plan, _arrays(base)).items()}
    rows: dict[str, list[TornadoBar]] = {}
    for pid, dist in plan.scenario_distributions(scenario).items():
        low, high = dist.quantile(lq), dist.quantile(hq)
        values = _arrays(base)
        values[pid] = np.array([low, high])
        for scope, t in evaluate_values(plan, values).items():
            nl, nh = float(t.npsv[0]), float(t.npsv[1])
            swing = abs(nh - nl)
            if swing <= 1e-9 * max(1.0, abs(central[scope])):
                continue
            rows.setdefault(scope, []).append(TornadoBar(scope, 0, pid, low, high, nl, nh, swing))
    out: list[TornadoBar] = []
    for bars in rows.values():
        bars.sort(key=lambda b: (-b.swing, b.parameter))
        out += [TornadoBar(b.scope, i + 1, b.parameter, b.low_value, b.high_value, b.npsv_low, b.npsv_high, b.swing)
                for i, b in enumerate(bars)]
    return out
