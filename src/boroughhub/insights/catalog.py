"""Which rows each metric writes (metrics.md 7.2), its period types (2.3) and its lookback for flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from boroughhub.insights.linked import AFTER_MOVE_OUT, BRIEF_EVENTS, NONREC_VARIANTS
from boroughhub.insights.params import ResolvedParameters
from boroughhub.insights.periods import FINANCIAL_QUARTER, FINANCIAL_YEAR, MONTH, minus_months

FY, FQ, M = FINANCIAL_YEAR, FINANCIAL_QUARTER, MONTH
D = ("none", "age_band", "gender", "nationality_group", "support_need", "support_need_any")
#: Profile breakdowns beyond D (output.SUPPORT_NEED_COMBINATIONS, INSTITUTION_HISTORY): the people seen in a year.
PROFILE = {"chain_total": ("support_need_combination", "institution_history")}

MEASURES = {
    "count": ("count",),
    "count_share": ("count", "numerator", "denominator", "share"),
    "share": ("numerator", "denominator", "share"),
    "median": ("median_days",),
    "mean": ("mean_days",),
    "rate": ("rate",),
    "transition": ("count",),
}

Lookback = Callable[[dt.date, ResolvedParameters], "dt.date | None"]


def _months(n: int) -> Lookback:
    return lambda start, _params: minus_months(start, n)


def _p1(start: dt.date, params: ResolvedParameters) -> dt.date:
    return minus_months(start, params.p1_lookback_months)


def _p2(start: dt.date, params: ResolvedParameters) -> dt.date:
    return start - dt.timedelta(days=params.p2_window_days)


def _b1(start: dt.date, params: ResolvedParameters) -> dt.date:
    return minus_months(start, params.b1_window_months - 1)


def _t1(start: dt.date, params: ResolvedParameters) -> dt.date:
    return minus_months(start, params.t1_lookback_months)


def _nonrec(start: dt.date, params: ResolvedParameters) -> dt.date:
    return start - dt.timedelta(days=params.nonrec_follow_up_days + params.nonrec_prior_rs_days)


def _never(start: dt.date, params: ResolvedParameters) -> None:
    return None


@dataclass(frozen=True)
class MetricSpec:
    """One metric id: its block family (whose base cohort decides which area blocks exist, 7.4), period
    types, variants, breakdown kinds, measures, and the metric ids its numerator and denominator count."""

    metric: str
    family: str
    period_types: tuple[str, ...]
    lookback: Lookback
    breakdowns: tuple[str, ...] = D
    measures: str = "count"
    variants: tuple[str, ...] = ("",)
    numerator: str | None = None
    denominator: dict[str, str] | None = None  # per period type
    denominator_breakdown_none: bool = False
    statistic_of: str | None = None
    follow_up: bool = False  # 6.2 and 6.4: rows hold [x] until end(P) + follow_up_days ≤ as_at

    def measure_names(self) -> tuple[str, ...]:
        return MEASURES[self.measures]


BLOCK_BASE = {
    "chain": ("chain_total", "chain_q_total"),
    "framework": ("fw_r1",),
    "t1": ("fw_t1_n",),
    "new60": ("lk_prev_cohort",),
    "nonrec": ("lk_nonrec_n",),
    "london": (),
}
"""Metric ids whose facts decide the area blocks of each family (7.4); ``nonrec`` blocks are per variant."""


def _catalog() -> tuple[MetricSpec, ...]:
    chain_year = [MetricSpec(m, "chain", (FY,), _months(60), breakdowns=D + PROFILE.get(m, ()))
                  for m in ("chain_total", "chain_flow", "chain_stock", "chain_returner")]
    chain_quarter = [MetricSpec(m, "chain", (FQ,), _months(60)) for m in (
        "chain_q_total", "chain_q_new", "chain_q_lots", "chain_q_intermittent", "chain_q_new_one_night",
        "chain_q_new_multi_not_lots", "chain_q_new_lots")]
    nsno = [
        MetricSpec("nsno_one_night", "chain", (FY, FQ), _months(60)),
        MetricSpec("nsno_one_night_share", "chain", (FY, FQ), _months(60), measures="share",
                   numerator="nsno_one_night", denominator={FY: "chain_flow", FQ: "chain_q_new"}),
    ]
    framework = [
        MetricSpec("fw_r1", "framework", (M,), _never),
        MetricSpec("fw_r1_rate", "framework", (M,), _never, breakdowns=("none",), measures="rate",
                   numerator="fw_r1"),
        MetricSpec("fw_p1", "framework", (M,), _p1),
        MetricSpec("fw_p2", "framework", (M,), _p2),
        MetricSpec("fw_b1", "framework", (M,), _b1),
        MetricSpec("fw_nr1", "framework", (M,), _p1),
    ]
    t1 = [
        MetricSpec("fw_t1_n", "t1", (FY, FQ, M), _t1),
        MetricSpec("fw_t1_median_days", "t1", (FY, FQ, M), _t1, measures="median", statistic_of="fw_t1_n"),
        MetricSpec("fw_t1_mean_days", "t1", (FY, FQ, M), _t1, measures="mean", statistic_of="fw_t1_n"),
        MetricSpec("fw_t1_band", "t1", (FY, FQ, M), _t1, breakdowns=("band_t1",)),
    ]
    prevention = [
        MetricSpec("lk_prev_cohort", "new60", (FY, FQ), _p1),
        MetricSpec("lk_prev_approached", "new60", (FY, FQ), _p1, measures="count_share",
                   denominator={FY: "lk_prev_cohort", FQ: "lk_prev_cohort"}),
        MetricSpec("lk_prev_outcome", "new60", (FY, FQ), _p1, breakdowns=("outcome_group",),
                   measures="count_share", denominator={FY: "lk_prev_approached", FQ: "lk_prev_approached"},
                   denominator_breakdown_none=True),
        MetricSpec("lk_prev_open_at_first_seen", "new60", (FY, FQ), _p1),
        MetricSpec("lk_prev_hclic_coverage", "london", (FY, FQ), _p1, breakdowns=("none",)),
    ]
    brief_variants = tuple(BRIEF_EVENTS)
    brief_den = {FY: "lk_brief_n", FQ: "lk_brief_n"}
    brief = [
        MetricSpec("lk_brief_n", "new60", (FY, FQ), _p1, variants=brief_variants, follow_up=True),
        *[MetricSpec(f"lk_brief_within_{d}", "new60", (FY, FQ), _p1, variants=brief_variants,
                     measures="count_share", denominator=brief_den, follow_up=True) for d in (30, 90, 365)],
        MetricSpec("lk_brief_band", "new60", (FY, FQ), _p1, breakdowns=("band_brief",), variants=brief_variants,
                   follow_up=True),
        MetricSpec("lk_brief_median_days", "new60", (FY, FQ), _p1, variants=brief_variants, measures="median",
                   statistic_of="lk_brief_n", follow_up=True),
    ]
    pathways = [MetricSpec("lk_pathways", "new60", (FY, FQ), _p1, breakdowns=("transition",),
                           measures="transition", follow_up=True)]
    nonrec: list[MetricSpec] = []
    nonrec_den = {FY: "lk_nonrec_n", FQ: "lk_nonrec_n"}
    for variant in NONREC_VARIANTS:
        extra = ("exit_group", "exit_to_long_term") if variant == AFTER_MOVE_OUT else ()
        nonrec.append(MetricSpec("lk_nonrec_n", "nonrec", (FY, FQ), _nonrec, breakdowns=D + extra,
                                 variants=(variant,)))
        nonrec += [MetricSpec(m, "nonrec", (FY, FQ), _nonrec, breakdowns=D + extra, variants=(variant,),
                              measures="count_share", denominator=nonrec_den)
                   for m in ("lk_nonrec_return_0_180", "lk_nonrec_return_181_365", "lk_nonrec_return_366_730",
                             "lk_nonrec_return_total")]
    return (*chain_year, *chain_quarter, *nsno, *framework, *t1, *prevention, *brief, *pathways, *nonrec)  # fmt: skip


CATALOG: tuple[MetricSpec, ...] = _catalog()

METRIC_IDS: tuple[str, ...] = tuple(dict.fromkeys(spec.metric for spec in CATALOG))
