"""CHAIN-style annual and quarterly cohorts and the No Second Night Out measure (metrics.md section 4).

Also the person-period table every night-based metric starts from: ``ins_person_periods`` holds, for each
reportable period and person seen in it, the number of nights, first and last night in the period and the
person's latest night before the period started; ``ins_period_areas`` is the area set ``A(p, P)`` plus London.
"""

from __future__ import annotations

from boroughhub.insights.facts import fact_select
from boroughhub.insights.params import LONDON, ResolvedParameters
from boroughhub.insights.periods import FINANCIAL_QUARTER, FINANCIAL_YEAR, MONTH, reportable_periods
from boroughhub.insights.sql import Statement, literal, values_select


def period_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_periods``: every reportable period of every type (2.3)."""
    rows = [
        (p.period_type, p.label, p.start, p.end)
        for period_type in (FINANCIAL_YEAR, FINANCIAL_QUARTER, MONTH)
        for p in reportable_periods(period_type, params.history_start, params.as_at)
    ]
    select = values_select(("period_type", "period", "p_start", "p_end"), rows)
    return [Statement("ins_periods", f"SELECT period_type, period, CAST(p_start AS DATE) AS p_start, "
                                     f"CAST(p_end AS DATE) AS p_end FROM ({select})")]


def person_period_statements() -> list[Statement]:
    counted = """
SELECT p.period_type, p.period, p.p_start, p.p_end, n.person_id,
       count(*) AS n_nights, min(n.night) AS first_night, max(n.night) AS last_night
FROM ins_periods p JOIN ins_person_nights n ON n.night BETWEEN p.p_start AND p.p_end
GROUP BY ALL
"""
    # ASOF: the person's latest night strictly before the period (all history; section 4 trims it).
    with_before = """
SELECT pp.*, n.night AS last_before
FROM ins_person_periods_counted pp
ASOF LEFT JOIN ins_person_nights n ON pp.person_id = n.person_id AND pp.p_start > n.night
"""
    areas = f"""
SELECT DISTINCT p.period_type, p.period, n.person_id, n.area AS area_code
FROM ins_periods p JOIN ins_nights n ON n.night BETWEEN p.p_start AND p.p_end
UNION ALL
SELECT period_type, period, person_id, '{LONDON}' FROM ins_person_periods_counted
"""
    return [
        Statement("ins_person_periods_counted", counted),
        Statement("ins_person_periods", with_before),
        Statement("ins_period_areas", areas),
    ]


def chain_fact_selects(params: ResolvedParameters) -> list[str]:
    """Facts of 4.1, 4.2 and 4.3 (classification London-wide, carried into every area row)."""
    source = f"""(
  SELECT pp.*, a.area_code,
    CASE WHEN pp.last_before >= {literal(params.history_start)} THEN pp.last_before END AS before_hs,
    pp.n_nights >= {params.lots_min_nights}
      AND pp.last_night - pp.first_night >= {params.lots_min_span_days} AS lots
  FROM ins_person_periods pp JOIN ins_period_areas a USING (period_type, period, person_id)
  WHERE pp.period_type = '{{period_type}}')"""
    previous_year_start = "CAST(p_start - to_months(12) AS DATE)"
    annual = fact_select(
        source.format(period_type=FINANCIAL_YEAR),
        [
            ("chain_total", "TRUE"),
            ("chain_flow", "before_hs IS NULL"),
            ("chain_stock", f"before_hs >= {previous_year_start}"),
            ("chain_returner", f"before_hs < {previous_year_start}"),
            ("nsno_one_night", "before_hs IS NULL AND n_nights = 1"),
        ],
    )
    quarterly = fact_select(
        source.format(period_type=FINANCIAL_QUARTER),
        [
            ("chain_q_total", "TRUE"),
            ("chain_q_new", "before_hs IS NULL"),
            ("chain_q_lots", "lots"),
            ("chain_q_intermittent", "before_hs IS NOT NULL AND NOT lots"),
            ("chain_q_new_one_night", "before_hs IS NULL AND n_nights = 1"),
            ("chain_q_new_multi_not_lots", "before_hs IS NULL AND n_nights >= 2 AND NOT lots"),
            ("chain_q_new_lots", "before_hs IS NULL AND lots"),
            ("nsno_one_night", "before_hs IS NULL AND n_nights = 1"),
        ],
    )
    return [annual, quarterly]
