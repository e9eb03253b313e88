"""Linked cross-source measures: prevention (6.1), brief (6.2) and non-recurrent (6.3).

All start from ``ins_new60`` (6.1, 6.2, 6.4) or from moves and episodes in the index window (6.3).
"""

from __future__ import annotations

from boroughhub.insights.facts import INFINITE_DAYS, band_sql, fact_select, with_london
from boroughhub.insights.framework import anchor_areas
from boroughhub.insights.params import ResolvedParameters
from boroughhub.insights.periods import FINANCIAL_QUARTER, FINANCIAL_YEAR
from boroughhub.insights.sql import Statement

YEARS_AND_QUARTERS = f"('{FINANCIAL_YEAR}', '{FINANCIAL_QUARTER}')"

BRIEF_EVENTS = {"any": "ins_acc_moves", "long_term": "ins_lt_moves"}
NONREC_MOVE_IN_EVENTS = {"after_move_in_long_term": "ins_lt_moves", "after_move_in_any": "ins_acc_moves"}
AFTER_MOVE_OUT = "after_move_out"
NONREC_VARIANTS = (*NONREC_MOVE_IN_EVENTS, AFTER_MOVE_OUT)


def new60_statements(params: ResolvedParameters) -> list[Statement]:
    """``new60(P)`` (5.2) for years and quarters, with first night ``f`` and attribution ``A(p, P)``."""
    cohort = f"""
SELECT period_type, period, p_start, p_end, person_id, first_night AS f
FROM ins_person_periods
WHERE period_type IN {YEARS_AND_QUARTERS}
  AND (last_before IS NULL OR last_before < CAST(first_night - to_months({params.p1_lookback_months}) AS DATE))
"""
    areas = "SELECT a.* FROM ins_period_areas a JOIN ins_new60 c USING (period_type, period, person_id)"
    return [Statement("ins_new60", cohort), Statement("ins_new60_areas", areas)]


def prevention_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_prevention``: each approached cohort person's selected case (6.1)."""
    selected = f"""
SELECT c.period_type, c.period, c.person_id, k.supplier_code, k.case_ref, k.application_date,
       k.outcome_group, k.case_end_date
FROM ins_new60 c
JOIN ins_case_persons cp USING (person_id)
JOIN ins_cases k USING (supplier_code, case_ref)
WHERE k.application_date BETWEEN c.f - {params.prevention_lookback_days} AND c.f - 1
QUALIFY row_number() OVER (PARTITION BY c.period_type, c.period, c.person_id
                           ORDER BY k.application_date DESC, k.supplier_code, k.case_ref) = 1
"""
    return [Statement("ins_prevention", selected)]


def prevention_fact_selects() -> list[str]:
    source = """(
  SELECT c.*, a.area_code, s.case_ref IS NOT NULL AS approached, s.outcome_group,
    s.case_ref IS NOT NULL AND (s.case_end_date IS NULL OR s.case_end_date >= c.f) AS open_at_f
  FROM ins_new60 c JOIN ins_new60_areas a USING (period_type, period, person_id)
  LEFT JOIN ins_prevention s USING (period_type, period, person_id))"""
    return [
        fact_select(
            source,
            [("lk_prev_cohort", "TRUE"), ("lk_prev_approached", "approached"),
             ("lk_prev_open_at_first_seen", "open_at_f")],
            ref_date="f",
        ),
        fact_select(source, [("lk_prev_outcome", "approached")], ref_date="f",
                    cat_breakdown="'outcome_group'", cat="outcome_group"),
    ]  # fmt: skip


def brief_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_brief``: days from first night to the first move of each variant (6.2); +∞ as INFINITE_DAYS."""
    selects = []
    for variant, events in BRIEF_EVENTS.items():
        selects.append(f"""
SELECT period_type, period, person_id, '{variant}' AS variant,
  CASE WHEN first_move IS NULL OR first_move - f > {params.follow_up_days} THEN {INFINITE_DAYS}
       ELSE first_move - f END AS days
FROM (SELECT c.period_type, c.period, c.person_id, c.f, min(m.date) AS first_move
      FROM ins_new60 c LEFT JOIN {events} m ON m.person_id = c.person_id AND m.date >= c.f
      GROUP BY ALL)""")
    return [Statement("ins_brief", "\nUNION ALL\n".join(selects))]


def brief_fact_selects() -> list[str]:
    source = """(
  SELECT b.*, c.f, a.area_code FROM ins_brief b JOIN ins_new60 c USING (period_type, period, person_id)
  JOIN ins_new60_areas a USING (period_type, period, person_id))"""
    return [
        fact_select(
            source,
            [("lk_brief_n", "TRUE"), ("lk_brief_within_30", "days <= 30"), ("lk_brief_within_90", "days <= 90"),
             ("lk_brief_within_365", "days <= 365")],
            variant="variant", ref_date="f", days="days",
        ),
        fact_select(source, [("lk_brief_band", "TRUE")], variant="variant", ref_date="f",
                    cat_breakdown="'band'", cat=band_sql("brief_band", "days")),
    ]  # fmt: skip


def nonrec_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_nonrec``: the 6.3 cohorts of the three variants with index date, days to return, anchor."""
    follow, prior = params.nonrec_follow_up_days, params.nonrec_prior_rs_days
    window = f"""JOIN ins_periods p ON {{date}} BETWEEN p.p_start - {follow} AND p.p_end - {follow}
  AND p.period_type IN {YEARS_AND_QUARTERS}"""
    selects = []
    for variant, events in NONREC_MOVE_IN_EVENTS.items():
        selects.append(f"""
SELECT period_type, period, person_id, '{variant}' AS variant, i, i AS anchor,
       CAST(NULL AS VARCHAR) AS exit_group, CAST(NULL AS VARCHAR) AS exit_to_long_term
FROM (
  SELECT p.period_type, p.period, e.person_id, min(e.date) AS i
  FROM (SELECT e.person_id, e.date FROM (SELECT DISTINCT person_id, date FROM {events}) e
        ASOF JOIN ins_person_nights n ON e.person_id = n.person_id AND e.date >= n.night
        WHERE n.night >= e.date - {prior}) e
  {window.format(date='e.date')}
  GROUP BY ALL)""")
    selects.append(f"""
SELECT p.period_type, p.period, e.person_id, '{AFTER_MOVE_OUT}', e.end_date AS i, e.start_date AS anchor,
       e.exit_group, CAST(e.exit_to_long_term AS VARCHAR)
FROM (SELECT e.* FROM ins_episodes e
      ASOF JOIN ins_person_nights n ON e.person_id = n.person_id AND e.start_date >= n.night
      WHERE e.end_date IS NOT NULL AND n.night >= e.start_date - {prior}) e
{window.format(date='e.end_date')}
QUALIFY row_number() OVER (PARTITION BY p.period_type, p.period, e.person_id ORDER BY e.end_date) = 1""")
    cohort = "\nUNION ALL\n".join(selects)
    # Variant A: a night on the move-in date is before the move; variant B: a night on the move-out date counts.
    returns = f"""
SELECT *, first_return - i AS days FROM (
SELECT c.*, min(n.night) AS first_return
FROM ins_nonrec_cohort c LEFT JOIN ins_person_nights n ON n.person_id = c.person_id
  AND n.night <= c.i + {follow}
  AND (n.night > c.i OR (c.variant = '{AFTER_MOVE_OUT}' AND n.night = c.i))
GROUP BY ALL)
"""
    areas = with_london(anchor_areas("ins_nonrec_cohort", "anchor", ("variant",)), ("variant",))
    return [
        Statement("ins_nonrec_cohort", cohort),
        Statement("ins_nonrec", returns),
        Statement("ins_nonrec_areas", areas),
    ]


def nonrec_fact_selects() -> list[str]:
    source = """(
  SELECT c.*, a.area_code FROM ins_nonrec c JOIN ins_nonrec_areas a USING (period_type, period, person_id, variant))"""
    return [
        fact_select(
            source,
            [("lk_nonrec_n", "TRUE"), ("lk_nonrec_return_0_180", "days BETWEEN 0 AND 180"),
             ("lk_nonrec_return_181_365", "days BETWEEN 181 AND 365"),
             ("lk_nonrec_return_366_730", "days BETWEEN 366 AND 730"),
             ("lk_nonrec_return_total", "days IS NOT NULL")],
            variant="variant", ref_date="i", exit_group="exit_group", exit_to_long_term="exit_to_long_term",
        )
    ]  # fmt: skip
