"""Framework indicators R1, P1, P2, B1, NR1 for months and T1 for every period type (metrics.md section 5)."""

from __future__ import annotations

from boroughhub.insights.facts import band_sql, fact_select, with_london
from boroughhub.insights.params import LONDON, ResolvedParameters
from boroughhub.insights.periods import MONTH
from boroughhub.insights.sql import Statement


def framework_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_framework``: one row per (month, person in R1) with the P1, P2, B1 and NR1 flags."""
    months = f"SELECT * FROM ins_person_periods WHERE period_type = '{MONTH}'"
    b1 = f"""
SELECT r.period, r.person_id, count(DISTINCT date_trunc('month', n.night)) AS months_seen
FROM ({months}) r JOIN ins_person_nights n ON n.person_id = r.person_id
  AND n.night BETWEEN CAST(r.p_start - to_months({params.b1_window_months - 1}) AS DATE) AND r.p_end
GROUP BY ALL
"""
    p2 = f"""
SELECT DISTINCT r.period, r.person_id
FROM ({months}) r
JOIN ins_institution_exits e ON e.person_id = r.person_id
JOIN ins_person_nights n ON n.person_id = r.person_id AND n.night BETWEEN r.p_start AND r.p_end
  AND n.night - e.date BETWEEN 0 AND {params.p2_window_days}
"""
    flags = f"""
SELECT r.*,
  r.last_before IS NULL
    OR r.last_before < CAST(r.first_night - to_months({params.p1_lookback_months}) AS DATE) AS p1,
  p2.person_id IS NOT NULL AS p2,
  coalesce(b1.months_seen, 0) >= {params.b1_min_months} AS b1
FROM ({months}) r
LEFT JOIN ins_fw_b1 b1 USING (period, person_id)
LEFT JOIN ins_fw_p2 p2 USING (period, person_id)
"""
    statements = [
        Statement("ins_fw_b1", b1),
        Statement("ins_fw_p2", p2),
        Statement("ins_framework", flags),
    ]
    if params.p1_scope == "area":
        # p1_scope = area (5.2): in area a's row, new if no night in area a in the lookback before d0(a).
        first_in_area = f"""
SELECT p.period, n.person_id, n.area AS area_code, min(n.night) AS first_night
FROM ins_periods p JOIN ins_nights n ON n.night BETWEEN p.p_start AND p.p_end
WHERE p.period_type = '{MONTH}' GROUP BY ALL
"""
        area_nights = "SELECT DISTINCT person_id, area AS area_code, night FROM ins_nights"
        p1_area = f"""
WITH area_nights AS ({area_nights})
SELECT f.period, f.person_id, f.area_code,
  n.night IS NULL OR n.night < CAST(f.first_night - to_months({params.p1_lookback_months}) AS DATE) AS p1_area
FROM ins_fw_first_in_area f
ASOF LEFT JOIN area_nights n ON f.person_id = n.person_id AND f.area_code = n.area_code AND f.first_night > n.night
"""
        statements += [Statement("ins_fw_first_in_area", first_in_area), Statement("ins_fw_p1_area", p1_area)]
    return statements


def framework_fact_selects(params: ResolvedParameters) -> list[str]:
    """Facts of R1, P1, P2, B1, NR1 (5.1–5.5); classifications carried into every area row."""
    p1_condition = "p1"
    area_join = ""
    if params.p1_scope == "area":
        area_join = "LEFT JOIN ins_fw_p1_area pa USING (period, person_id, area_code)"
        p1_condition = f"CASE WHEN area_code = '{LONDON}' THEN p1 ELSE coalesce(p1_area, FALSE) END"
    source = f"""(
  SELECT f.*, a.area_code{', pa.p1_area' if area_join else ''} FROM ins_framework f JOIN ins_period_areas a USING (period_type, period, person_id)
  {area_join})"""
    nr1 = f"NOT p1 AND last_before < first_night - {params.nr1_gap_days}"
    return [
        fact_select(
            source,
            [("fw_r1", "TRUE"), ("fw_p1", p1_condition), ("fw_p2", "p2"), ("fw_b1", "b1"), ("fw_nr1", nr1)],
        )
    ]


def t1_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_t1``: the T1 cohort (5.6) of every period, with days, L1 and its anchor area set."""
    first_moves = """
SELECT p.period_type, p.period, m.person_id, min(m.date) AS l1
FROM ins_periods p JOIN (SELECT DISTINCT person_id, date FROM ins_lt_moves) m ON m.date BETWEEN p.p_start AND p.p_end
GROUP BY ALL
"""
    with_previous = """
SELECT f.*, m.date AS lprev
FROM ins_t1_first f
ASOF LEFT JOIN (SELECT DISTINCT person_id, date FROM ins_lt_moves) m
  ON f.person_id = m.person_id AND f.l1 > m.date
"""
    cohort = f"""
SELECT *, l1 - first_night AS days FROM (
SELECT f.period_type, f.period, f.person_id, f.l1, min(n.night) AS first_night
FROM ins_t1_prev f JOIN ins_person_nights n ON n.person_id = f.person_id
  AND n.night <= f.l1 AND n.night >= CAST(f.l1 - to_months({params.t1_lookback_months}) AS DATE)
  AND (f.lprev IS NULL OR n.night > f.lprev)
GROUP BY ALL)
"""
    return [
        Statement("ins_t1_first", first_moves),
        Statement("ins_t1_prev", with_previous),
        Statement("ins_t1", cohort),
        Statement("ins_t1_areas", with_london(anchor_areas("ins_t1", "l1"))),
    ]


def anchor_areas(cohort: str, anchor: str, extra_keys: tuple[str, ...] = ()) -> str:
    """Anchor area set (2.5): the areas of the person's latest night on or before ``anchor``."""
    keys = ", ".join(f"c.{k}" for k in ("period_type", "period", "person_id", *extra_keys))
    return f"""
SELECT {keys}, n.area AS area_code
FROM (SELECT {keys}, pn.night AS anchor_night
      FROM {cohort} c ASOF JOIN ins_person_nights pn ON c.person_id = pn.person_id AND c.{anchor} >= pn.night) c
JOIN ins_nights n ON n.person_id = c.person_id AND n.night = c.anchor_night"""


def t1_fact_selects() -> list[str]:
    source = """(SELECT t.*, a.area_code FROM ins_t1 t JOIN ins_t1_areas a USING (period_type, period, person_id))"""
    band = band_sql("t1_band", "days")
    return [
        fact_select(source, [("fw_t1_n", "TRUE")], ref_date="l1", days="days"),
        fact_select(source, [("fw_t1_band", "TRUE")], ref_date="l1", cat_breakdown="'band'", cat=band),
    ]
