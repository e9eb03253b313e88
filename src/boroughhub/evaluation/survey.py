"""Member survey statistics (spec §6): Wilson intervals, net scores, FPC, response rates, bootstrap."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from boroughhub.evaluation.spec import SpecIssue
from boroughhub.evaluation.survey_input import SurveyInput


@dataclass(frozen=True)
class Interval:
    estimate: float
    lo: float
    hi: float


@dataclass(frozen=True)
class ItemResult:
    item: str
    text: str
    n_valid: int
    n_missing: int
    counts: dict[str, int]  # "1".."5"
    agree: int
    disagree: int
    top2: Interval | None  # None when suppressed
    net: Interval | None
    fpc: float | None  # f, when the finite population correction was applied
    n_eff: float | None
    flags: list[str]

    @property
    def suppressed(self) -> bool:
        return "suppressed" in self.flags


@dataclass(frozen=True)
class ResponseRate:
    organisation: str
    groups: dict[str, str]
    invited: int | None
    respondents: int
    response_rate: float | None
    flags: list[str]


@dataclass(frozen=True)
class GroupDifference:
    item: str
    by: str
    group_a: str
    group_b: str
    n_a: int
    n_b: int
    share_a: float | None
    share_b: float | None
    diff: Interval | None
    net_diff: Interval | None
    resamples: int
    seed: int
    flags: list[str]


@dataclass
class SurveyResults:
    population_total: int | None
    respondents: int
    items: list[ItemResult]
    response_rates: list[ResponseRate]
    group_rates: list[ResponseRate]
    differences: list[GroupDifference]
    warnings: list[SpecIssue] = field(default_factory=list)


def z_value(confidence: float) -> float:
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def wilson(k: int, n: int, confidence: float = 0.95, population: int | None = None) -> tuple[Interval, float | None,
                                                                                              float | None]:
    """Wilson score interval for k/n; with a population size, n is replaced by n_eff = n/f (§6.5)."""
    p_hat = k / n
    if population is None:
        lo, hi = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
        return Interval(p_hat, float(lo), float(hi)), None, None
    f = (population - n) / (population - 1) if population > 1 else 0.0
    if f <= 0:
        return Interval(p_hat, p_hat, p_hat), 0.0, math.inf
    n_eff = n / f
    lo, hi = proportion_confint(p_hat * n_eff, n_eff, alpha=1 - confidence, method="wilson")
    return Interval(p_hat, float(lo), float(hi)), f, n_eff


def net_score(k: int, d: int, n: int, confidence: float = 0.95, f: float | None = None) -> tuple[Interval, float]:
    """Agree minus disagree share with its normal interval (§6.3); ``f`` is the FPC factor."""
    pa, pd = k / n, d / n
    ns = pa - pd
    var = (pa + pd - ns**2) / n
    if f is not None:
        var *= f
    half = z_value(confidence) * math.sqrt(max(var, 0.0))
    return Interval(ns, max(-1.0, ns - half), min(1.0, ns + half)), var


def analyse_item(item: str, text: str, cells: list[str], missing_codes: set[str], confidence: float,
                 population: int | None, small_n: int, min_n: int) -> ItemResult:
    counts = Counter(c for c in cells if c in {"1", "2", "3", "4", "5"})
    n = sum(counts.values())
    k = counts["4"] + counts["5"]
    d = counts["1"] + counts["2"]
    flags: list[str] = []
    if n < min_n:
        flags.append("suppressed")
    if n < small_n:
        flags.append("small_n")
    top2 = net = None
    f = n_eff = None
    if n >= min_n:
        top2, f, n_eff = wilson(k, n, confidence, population)
        if f == 0.0:
            flags.append("census")
            net = Interval((k - d) / n, (k - d) / n, (k - d) / n)
        else:
            net, _ = net_score(k, d, n, confidence, f)
    return ItemResult(item, text, n, len(cells) - n, {c: counts[c] for c in "12345"}, k, d, top2, net, f, n_eff,
                      flags)


def bootstrap_difference(a: list[str], b: list[str], rng: np.random.Generator, resamples: int,
                         confidence: float) -> tuple[Interval, Interval]:
    """Percentile intervals of the differences in top-two-box share and net score (§6.8)."""
    va = np.array([int(x) for x in a])
    vb = np.array([int(x) for x in b])
    ia = rng.integers(0, len(va), (resamples, len(va)))
    ib = rng.integers(0, len(vb), (resamples, len(vb)))
    ra, rb = va[ia], vb[ib]
    share: NDArray[np.float64] = (ra >= 4).mean(axis=1) - (rb >= 4).mean(axis=1)
    net = ((ra >= 4).mean(axis=1) - (ra <= 2).mean(axis=1)) - ((rb >= 4).mean(axis=1) - (rb <= 2).mean(axis=1))
    alpha = 1 - confidence
    qs = [alpha / 2, 1 - alpha / 2]
    s_lo, s_hi = np.quantile(share, qs, method="linear")
    n_lo, n_hi = np.quantile(net, qs, method="linear")
    d_share = float((va >= 4).mean() - (vb >= 4).mean())
    d_net = float(((va >= 4).mean() - (va <= 2).mean()) - ((vb >= 4).mean() - (vb <= 2).mean()))
    return Interval(d_share, float(s_lo), float(s_hi)), Interval(d_net, float(n_lo), float(n_hi))


def analyse_survey(inp: SurveyInput) -> SurveyResults:
    st = inp.settings
    missing = set(st.scale.missing_codes)
    population = inp.population_total if st.finite_population_correction else None
    warnings: list[SpecIssue] = []
    items: list[ItemResult] = []
    for item in st.items:
        res = analyse_item(item.id, item.text, [r[item.column] for r in inp.responses], missing, st.confidence,
                           population, st.small_n_warn, st.min_n_report)
        for flag in ("suppressed", "small_n"):
            if flag in res.flags:
                warnings.append(SpecIssue("warning", flag, st.responses_file, None, None, item.column, res.n_valid,
                                      f"survey item {item.id}: n = {res.n_valid}"))
        items.append(res)
    rates, group_rates = response_rates(inp)
    diffs: list[GroupDifference] = []
    if st.comparisons and st.bootstrap is not None:
        rng = np.random.Generator(np.random.PCG64(st.bootstrap.seed))
        columns = {i.id: i.column for i in st.items}
        for comp in st.comparisons:
            col = columns[comp.item]
            ga, gb = comp.groups
            a = [r[col] for r in inp.responses if r[comp.by] == ga and r[col] in {"1", "2", "3", "4", "5"}]
            b = [r[col] for r in inp.responses if r[comp.by] == gb and r[col] in {"1", "2", "3", "4", "5"}]
            flags: list[str] = []
            if min(len(a), len(b)) < st.small_n_warn:
                flags.append("small_n")
            diff = net_diff = None
            if min(len(a), len(b)) < st.min_n_report:
                flags.append("suppressed")
            else:
                diff, net_diff = bootstrap_difference(a, b, rng, st.bootstrap.resamples, st.confidence)
                if diff.lo > 0 or diff.hi < 0:
                    flags.append("interval_excludes_zero")
            share_a = sum(x in {"4", "5"} for x in a) / len(a) if a and "suppressed" not in flags else None
            share_b = sum(x in {"4", "5"} for x in b) / len(b) if b and "suppressed" not in flags else None
            diffs.append(GroupDifference(comp.item, comp.by, ga, gb, len(a), len(b), share_a, share_b, diff,
                                         net_diff, st.bootstrap.resamples, st.bootstrap.seed, flags))
    return SurveyResults(inp.population_total, len(inp.responses), items, rates, group_rates, diffs, warnings)


def response_rates(inp: SurveyInput) -> tuple[list[ResponseRate], list[ResponseRate]]:
    st = inp.settings
    counts = Counter(r[st.organisation_column] for r in inp.responses)
    rows: list[ResponseRate] = []
    pop_groups = [g for g in st.group_columns if inp.population and g in inp.population[0]]
    for prow in inp.population or []:
        org, invited = prow["organisation"], int(prow["invited"])
        resp = counts[org]
        flags = ["suppressed"] if resp < st.min_n_report else []
        rate = resp / invited if invited and not flags else None
        rows.append(ResponseRate(org, {g: prow[g] for g in pop_groups}, invited, resp, rate, flags))
    groups: list[ResponseRate] = []
    for g in st.group_columns:
        values = sorted({r[g] for r in inp.responses} | {p[g] for p in inp.population or [] if g in pop_groups})
        for v in values:
            resp = sum(1 for r in inp.responses if r[g] == v)
            inv = sum(int(p["invited"]) for p in inp.population or [] if p.get(g) == v) if g in pop_groups else None
            flags = ["suppressed"] if resp < st.min_n_report else []
            rate = resp / inv if inv and not flags else None
            groups.append(ResponseRate(f"{g}={v}", {g: v}, inv, resp, rate, flags))
    total = len(inp.responses)
    groups.append(ResponseRate("TOTAL", {}, inp.population_total, total,
                               total / inp.population_total if inp.population_total else None, []))
    return rows, groups
