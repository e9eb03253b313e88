"""Monte Carlo simulation (spec §5.13): seeded, vectorised, common random numbers across scopes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from boroughhub.evaluation.engine import Array, bcr, evaluate_values
from boroughhub.evaluation.plan import Plan

#: Draws are computed in chunks of this size (the random streams are drawn whole first, so the
#: chunking does not change the result; it only bounds memory).
CHUNK = 25_000


@dataclass(frozen=True)
class MonteCarloSummary:
    scope: str
    n_draws: int
    seed: int
    p_npsv_positive: float
    se: float
    npsv_mean: float
    npsv_sd: float
    npsv_p5: float
    npsv_p50: float
    npsv_p95: float
    bcr_mean: float | None
    bcr_sd: float | None
    bcr_p5: float | None
    bcr_p50: float | None
    bcr_p95: float | None
    band_shares: dict[str, float]
    share_undefined: float


@dataclass
class MonteCarloRun:
    scenario: str
    draws: int
    seed: int
    parameters: list[str]
    summaries: list[MonteCarloSummary]
    bcr_draws: dict[str, Array]  # kept for the BCR distribution chart


def draw_parameters(plan: Plan, scenario: str, draws: int, seed: int) -> dict[str, Array]:
    """One generator; parameters in ascending id order, each drawing its whole vector (§5.13 step 2)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    return {pid: dist.sample(rng, draws) for pid, dist in plan.scenario_distributions(scenario).items()}


def run(plan: Plan, scenario: str, draws: int, seed: int,
        progress: Callable[[int, int], None] | None = None) -> MonteCarloRun:
    sampled = draw_parameters(plan, scenario, draws, seed)
    base = plan.scenario_values(scenario)
    npsv: dict[str, list[Array]] = {}
    ratio: dict[str, list[Array]] = {}
    for start in range(0, draws, CHUNK):
        stop = min(draws, start + CHUNK)
        values = {k: np.array([v]) for k, v in base.items()}
        values.update({k: v[start:stop] for k, v in sampled.items()})
        for scope, t in evaluate_values(plan, values).items():
            npsv.setdefault(scope, []).append(np.broadcast_to(t.npsv, (stop - start,)))
            ratio.setdefault(scope, []).append(np.broadcast_to(bcr(plan, t), (stop - start,)))
        if progress is not None:
            progress(stop, draws)
    summaries = []
    bcr_all: dict[str, Array] = {}
    for scope in npsv:
        n_arr = np.concatenate(npsv[scope])
        b_arr = np.concatenate(ratio[scope])
        bcr_all[scope] = b_arr
        summaries.append(summarise(plan, scope, n_arr, b_arr, seed))
    return MonteCarloRun(scenario, draws, seed, sorted(sampled), summaries, bcr_all)


def summarise(plan: Plan, scope: str, npsv: Array, ratio: Array, seed: int) -> MonteCarloSummary:
    n = len(npsv)
    p = float(np.mean(npsv > 0))
    q_npsv = np.quantile(npsv, [0.05, 0.5, 0.95], method="linear")
    defined = ratio[~np.isnan(ratio)]
    shares = {label: 0.0 for label, _, _ in plan.vfm_bands.bands}
    for label, lo, hi in plan.vfm_bands.bands:
        shares[label] = float(np.sum((defined >= lo) & (defined < hi))) / n
    q_bcr: list[float | None] = [None, None, None]
    mean_bcr = sd_bcr = None
    if len(defined):
        q_bcr = [float(x) for x in np.quantile(defined, [0.05, 0.5, 0.95], method="linear")]
        mean_bcr, sd_bcr = float(defined.mean()), float(defined.std(ddof=1)) if len(defined) > 1 else 0.0
    return MonteCarloSummary(
        scope, n, seed, p, math.sqrt(p * (1 - p) / n), float(npsv.mean()), float(npsv.std(ddof=1)),
        float(q_npsv[0]), float(q_npsv[1]), float(q_npsv[2]), mean_bcr, sd_bcr, q_bcr[0], q_bcr[1], q_bcr[2],
        shares, float(np.isnan(ratio).sum()) / n)
