"""The long output table ``metric_values`` (metrics.md section 7), aggregated from ``ins_facts``.

Steps: breakdown values and the catalogue as tables; the blocks that must be written (7.4); a skeleton of
every row; counts and statistics by breakdown (one GROUPING SETS pass); then the values (7.3) and flags.
"""

from __future__ import annotations

from boroughhub.insights.catalog import BLOCK_BASE, CATALOG
from boroughhub.insights.facts import INFINITE_DAYS
from boroughhub.insights.params import LONDON, ResolvedParameters
from boroughhub.insights.periods import reportable_periods
from boroughhub.insights.records import age_band_sql, age_sql
from boroughhub.insights.sql import SqlValue, Statement, values_select
from boroughhub.reference import code_list

OUTPUT_COLUMNS = (
    "metric", "variant", "period_type", "period", "area_code", "breakdown", "breakdown_value", "measure",
    "value", "flags",
)  # fmt: skip

EXIT_GROUPS = ("planned_move_on", "eviction", "abandonment", "other_exit")
# Profile breakdowns of the people seen in a year, as CHAIN's annual reports give them (ours, issue 15): which
# of alcohol, drugs and mental health together (a partition), and institutions ever lived in (overlapping).
SUPPORT_NEED_COMBINATIONS = (
    "alcohol", "drugs", "mental_health", "alcohol+drugs", "alcohol+mental_health", "drugs+mental_health",
    "alcohol+drugs+mental_health", "none_of_alcohol_drugs_mental_health", "not_assessed",
)  # fmt: skip
INSTITUTION_HISTORY = ("prison", "care", "armed_forces")
PROFILE_METRICS = ("chain_total",)
PROFILE_METRICS_SQL = "(" + ", ".join(f"'{m}'" for m in PROFILE_METRICS) + ")"


def breakdown_values() -> list[tuple[str, str, str, int]]:
    """(breakdown kind, breakdown, value, order) for every breakdown written in full (7.2)."""
    needs = code_list("support_need_group")
    lists: dict[str, tuple[str, list[str]]] = {
        "none": ("none", [""]),
        "age_band": ("age_band", [r["code"] for r in code_list("age_band")]),
        "gender": ("gender", [r["code"] for r in code_list("gender")] + ["not_known"]),
        "nationality_group": ("nationality_group", [r["code"] for r in code_list("nationality_group")]),
        "support_need": ("support_need", [r["code"] for r in needs if r["exclusive"] == "false"]),
        "support_need_any": ("support_need_any", [r["code"] for r in needs if r["exclusive"] == "true"]),
        "band_t1": ("band", [r["code"] for r in code_list("t1_band")]),
        "band_brief": ("band", [r["code"] for r in code_list("brief_band")]),
        "outcome_group": ("outcome_group", [r["code"] for r in code_list("case_outcome_group")]),
        "exit_group": ("exit_group", list(EXIT_GROUPS)),
        "exit_to_long_term": ("exit_to_long_term", ["true", "false"]),
        "support_need_combination": ("support_need_combination", list(SUPPORT_NEED_COMBINATIONS)),
        "institution_history": ("institution_history", list(INSTITUTION_HISTORY)),
    }
    return [(kind, name, value, i) for kind, (name, values) in lists.items() for i, value in enumerate(values)]


def _catalog_rows() -> list[tuple[SqlValue, ...]]:
    """One row per (metric, variant, period type); breakdown kinds and measures as ``|``-joined text."""
    rows: list[tuple[SqlValue, ...]] = []
    for spec in CATALOG:
        if spec.measures == "transition":
            continue  # lk_pathways writes only the transitions that occur (7.4); see pathway rows below
        for variant in spec.variants:
            for period_type in spec.period_types:
                den = spec.denominator[period_type] if spec.denominator else None
                rows.append((
                    spec.metric, variant, spec.family, variant if spec.family == "nonrec" else "", period_type,
                    "|".join(spec.breakdowns), "|".join(spec.measure_names()), spec.numerator or spec.metric, den,
                    spec.denominator_breakdown_none, spec.statistic_of, spec.follow_up,
                ))  # fmt: skip
    return rows


def _flag_rows(params: ResolvedParameters) -> list[tuple[SqlValue, ...]]:
    """(metric, period type, periods flagged ``short_history`` as ``|``-joined labels)."""
    rows: list[tuple[SqlValue, ...]] = []
    seen: set[tuple[str, str]] = set()
    for spec in CATALOG:
        for period_type in spec.period_types:
            if (spec.metric, period_type) in seen:
                continue
            seen.add((spec.metric, period_type))
            flagged = []
            for period in reportable_periods(period_type, params.history_start, params.as_at):
                lookback = spec.lookback(period.start, params)
                if lookback is not None and lookback < params.history_start:
                    flagged.append(period.label)
            if flagged:
                rows.append((spec.metric, period_type, "|".join(flagged)))
    return rows


def _spec_family_periods() -> list[tuple[SqlValue, ...]]:
    rows: set[tuple[SqlValue, ...]] = set()
    for spec in CATALOG:
        for variant in spec.variants:
            for period_type in spec.period_types:
                rows.add((spec.family, variant if spec.family == "nonrec" else "", period_type))
    return sorted(rows, key=str)


def setup_statements(params: ResolvedParameters) -> list[Statement]:
    base_rows = [(family, metric) for family, metrics in BLOCK_BASE.items() for metric in metrics]
    catalog_columns = (
        "metric", "variant", "family", "block_variant", "period_type", "bkinds", "measures", "num_metric",
        "den_metric", "den_none", "stat_metric", "follow_up",
    )  # fmt: skip
    catalog = f"""
SELECT * EXCLUDE (bkinds, measures), string_split(measures, '|') AS measures, unnest(string_split(bkinds, '|')) AS bkind
FROM ({values_select(catalog_columns, _catalog_rows())})
"""
    flags = f"""
SELECT metric, period_type, unnest(string_split(periods, '|')) AS period, 'short_history' AS flags
FROM ({values_select(("metric", "period_type", "periods"), _flag_rows(params))})
"""
    return [
        Statement("ins_breakdown_values", values_select(("bkind", "breakdown", "breakdown_value", "ord"),
                                                        breakdown_values())),
        Statement("ins_catalog", catalog),
        Statement("ins_flags", flags),
        Statement("ins_block_base", values_select(("family", "metric"), base_rows)),
        Statement("ins_family_periods", values_select(("family", "block_variant", "period_type"),
                                                      _spec_family_periods())),
    ]  # fmt: skip


def block_statements() -> list[Statement]:
    """``ins_blocks``: London for every reportable period, other areas where the base cohort has someone."""
    blocks = f"""
SELECT DISTINCT family, block_variant, period_type, period, area_code FROM (
  SELECT b.family, CASE WHEN b.family = 'nonrec' THEN f.variant ELSE '' END AS block_variant,
         f.period_type, f.period, f.area_code
  FROM ins_facts f JOIN ins_block_base b ON b.metric = f.metric
  UNION ALL
  SELECT fp.family, fp.block_variant, p.period_type, p.period, '{LONDON}'
  FROM ins_family_periods fp JOIN ins_periods p USING (period_type)
)
"""
    return [Statement("ins_blocks", blocks)]


_KEYS = "metric, variant, period_type, period, area_code"


def count_statements(params: ResolvedParameters) -> list[Statement]:
    """``ins_counts``: persons, lower median and mean of ``days`` per metric, block and breakdown value.

    Facts without ``days`` (most of them) are first counted per combination of attributes
    (``ins_fact_groups``), then summed by one GROUPING SETS pass; the few facts with ``days`` keep one row
    per person so that medians and means can be taken. Metric-specific categories are grouped on their own.
    """
    enriched = f"""
SELECT * EXCLUDE (age), {age_band_sql('age')} AS age_band FROM (
  SELECT f.*, {age_sql('a.dob', 'f.ref_date')} AS age, a.gender, a.nationality_group, a.support_needs,
         a.support_need_any, a.support_need_combination, a.institution_history
  FROM ins_facts f LEFT JOIN ins_person_attributes a USING (person_id)
  WHERE f.cat IS NULL)
"""
    groups = f"""
SELECT {_KEYS}, age_band, gender, nationality_group, support_need_any, support_needs, exit_group,
       exit_to_long_term, support_need_combination, institution_history, count(*) AS n
FROM ins_facts_enriched WHERE days IS NULL
GROUP BY ALL
"""
    with_days = "SELECT * FROM ins_facts_enriched WHERE days IS NOT NULL"
    stats = (
        f"count(*) AS n, quantile_disc(days, 0.5) AS median_days, "
        f"avg(days) FILTER (WHERE days < {INFINITE_DAYS}) AS mean_days"
    )
    sums = "sum(n) AS n, NULL::BIGINT AS median_days, NULL::DOUBLE AS mean_days"
    counts_only = "count(*) AS n, NULL::BIGINT AS median_days, NULL::DOUBLE AS mean_days"
    demographic = """
SELECT {keys},
  CASE WHEN grouping(age_band) = 0 THEN 'age_band' WHEN grouping(gender) = 0 THEN 'gender'
       WHEN grouping(nationality_group) = 0 THEN 'nationality_group'
       WHEN grouping(support_need_any) = 0 THEN 'support_need_any' ELSE 'none' END AS breakdown,
  coalesce(age_band, gender, nationality_group, support_need_any, '') AS breakdown_value,
  {aggregates}
FROM {source}
GROUP BY GROUPING SETS (({keys}), ({keys}, age_band), ({keys}, gender), ({keys}, nationality_group),
  ({keys}, support_need_any))"""
    grouped = f"""
{demographic.format(keys=_KEYS, aggregates=sums, source="ins_fact_groups")}
UNION ALL
{demographic.format(keys=_KEYS, aggregates=stats, source="ins_fact_days")}
UNION ALL
SELECT {_KEYS}, 'support_need', need, {sums}
FROM (SELECT *, unnest(support_needs) AS need FROM ins_fact_groups)
GROUP BY ALL
UNION ALL
SELECT {_KEYS}, 'support_need', need, {stats}
FROM (SELECT *, unnest(support_needs) AS need FROM ins_fact_days)
GROUP BY ALL
UNION ALL
SELECT {_KEYS}, cat_breakdown, cat, {counts_only} FROM ins_facts WHERE cat IS NOT NULL GROUP BY ALL
UNION ALL
SELECT {_KEYS}, CASE WHEN grouping(exit_group) = 0 THEN 'exit_group' ELSE 'exit_to_long_term' END,
  coalesce(exit_group, exit_to_long_term), {sums}
FROM ins_fact_groups WHERE exit_group IS NOT NULL
GROUP BY GROUPING SETS (({_KEYS}, exit_group), ({_KEYS}, exit_to_long_term))
UNION ALL
SELECT {_KEYS}, 'support_need_combination', support_need_combination, {sums}
FROM ins_fact_groups WHERE metric IN {PROFILE_METRICS_SQL} GROUP BY ALL
UNION ALL
SELECT {_KEYS}, 'institution_history', institution, {sums}
FROM (SELECT *, unnest(institution_history) AS institution FROM ins_fact_groups WHERE metric IN {PROFILE_METRICS_SQL})
GROUP BY ALL
"""
    del params
    return [
        Statement("ins_facts_enriched", enriched, view=True),
        Statement("ins_fact_groups", groups),
        Statement("ins_fact_days", with_days),
        Statement("ins_counts", grouped),
    ]


def _rate_source(has_population: bool) -> str:
    if not has_population:
        return "SELECT NULL::VARCHAR AS period, NULL::VARCHAR AS area_code, NULL::DOUBLE AS population WHERE FALSE"
    return """
SELECT p.period, e.area_code, arg_max(e.population, e.year) AS population
FROM ins_periods p JOIN main.population_estimates e ON make_date(CAST(e.year AS INTEGER), 6, 30) <= p.p_end
WHERE p.period_type = 'month' GROUP BY ALL"""


def _coverage_source(in_use: str | None, lookback_days: int) -> str:
    if in_use is None:
        return "SELECT NULL::VARCHAR AS period_type, NULL::VARCHAR AS period, NULL::BIGINT AS n WHERE FALSE"
    return f"""
WITH in_use AS (
  SELECT DISTINCT supplier_code, extract_period_start, extract_period_end
  FROM main.submissions
  WHERE source = 'hclic' AND {in_use}
    AND supplier_code IN (SELECT code FROM ref_areas WHERE area_type = 'local_authority')
)
SELECT p.period_type, p.period, count(DISTINCT u.supplier_code) AS n
FROM ins_periods p LEFT JOIN in_use u ON u.extract_period_start <= p.p_start - {lookback_days}
  AND u.extract_period_end >= p.p_end
GROUP BY ALL"""


def value_statements(
    params: ResolvedParameters, *, has_population: bool, submissions_in_use: str | None
) -> list[Statement]:
    """``ins_metric_values``: every row of 7.2 for every block of 7.4, values of 7.3, flags of 2.3.

    ``submissions_in_use`` is the SQL condition of ``params.submissions_in_use`` (None: no submissions
    table, so ``lk_prev_hclic_coverage`` is ``[x]``)."""
    follow = params.follow_up_days
    as_at = f"DATE '{params.as_at.isoformat()}'"
    coverage = _coverage_source(submissions_in_use, params.prevention_lookback_days)
    # One row per cell (metric, variant, period, area, breakdown value) with what its measures need; the
    # measures are unnested afterwards, so each join runs once per cell rather than once per measure.
    cells = f"""
WITH coverage AS ({coverage}),
population AS ({_rate_source(has_population)})
SELECT c.metric, c.variant, c.period_type, b.period, b.area_code, v.breakdown, v.breakdown_value, c.measures,
  c.follow_up AND p.p_end + {follow} > {as_at} AS follow_up_missing,
  num.n AS num_n, den.n AS den_n, st.n AS st_n, st.median_days, st.mean_days, cov.n AS coverage_n,
  pop.population, ar.area_type
FROM ins_catalog c
JOIN ins_blocks b ON b.family = c.family AND b.block_variant = c.block_variant AND b.period_type = c.period_type
JOIN ins_breakdown_values v ON v.bkind = c.bkind
JOIN ins_periods p ON p.period_type = c.period_type AND p.period = b.period
LEFT JOIN ref_areas ar ON ar.code = b.area_code
LEFT JOIN ins_counts num ON num.metric = c.num_metric AND num.variant = c.variant AND num.period_type = c.period_type
  AND num.period = b.period AND num.area_code = b.area_code AND num.breakdown = v.breakdown
  AND num.breakdown_value = v.breakdown_value
LEFT JOIN ins_counts den ON den.metric = c.den_metric AND den.variant = c.variant AND den.period_type = c.period_type
  AND den.period = b.period AND den.area_code = b.area_code
  AND den.breakdown = CASE WHEN c.den_none THEN 'none' ELSE v.breakdown END
  AND den.breakdown_value = CASE WHEN c.den_none THEN '' ELSE v.breakdown_value END
LEFT JOIN ins_counts st ON st.metric = c.stat_metric AND st.variant = c.variant AND st.period_type = c.period_type
  AND st.period = b.period AND st.area_code = b.area_code AND st.breakdown = v.breakdown
  AND st.breakdown_value = v.breakdown_value
LEFT JOIN coverage cov ON c.metric = 'lk_prev_hclic_coverage' AND cov.period_type = c.period_type
  AND cov.period = b.period
LEFT JOIN population pop ON c.measures = ['rate'] AND pop.period = b.period AND pop.area_code = b.area_code
"""
    values = f"""
SELECT s.metric, s.variant, s.period_type, s.period, s.area_code, s.breakdown, s.breakdown_value, s.measure,
  CASE
    WHEN s.follow_up_missing THEN '[x]'
    WHEN s.metric = 'lk_prev_hclic_coverage' THEN coalesce(CAST(coverage_n AS VARCHAR), '[x]')
    WHEN s.measure IN ('count', 'numerator') THEN CAST(coalesce(num_n, 0) AS VARCHAR)
    WHEN s.measure = 'denominator' THEN CAST(coalesce(den_n, 0) AS VARCHAR)
    WHEN s.measure = 'share' THEN CASE WHEN coalesce(den_n, 0) = 0 THEN '[x]'
                                       ELSE CAST(100.0::DOUBLE * coalesce(num_n, 0) / den_n AS VARCHAR) END
    WHEN s.measure = 'median_days' THEN CASE WHEN st_n IS NULL THEN '[x]'
                                             WHEN median_days >= {INFINITE_DAYS} THEN '>{follow}'
                                             ELSE CAST(median_days AS VARCHAR) END
    WHEN s.measure = 'mean_days' THEN coalesce(CAST(mean_days AS VARCHAR), '[x]')
    WHEN s.measure = 'rate' THEN CASE WHEN area_type = 'pseudo_area' THEN '[z]'
                                      WHEN population IS NULL OR population <= 0 THEN '[x]'
                                      ELSE CAST(coalesce(num_n, 0) * 100000.0::DOUBLE / population AS VARCHAR) END
  END AS value,
  coalesce(fl.flags, '') AS flags
FROM (SELECT * EXCLUDE (measures), unnest(measures) AS measure FROM ins_value_cells) s
LEFT JOIN ins_flags fl ON fl.metric = s.metric AND fl.period_type = s.period_type AND fl.period = s.period
"""
    pathways = f"""
SELECT 'lk_pathways' AS metric, '' AS variant, b.period_type, b.period, b.area_code,
  CASE WHEN ok THEN 'transition' ELSE 'none' END AS breakdown, CASE WHEN ok THEN c.breakdown_value ELSE '' END,
  'count', CASE WHEN ok THEN CAST(c.n AS VARCHAR) ELSE '[x]' END, coalesce(fl.flags, '')
FROM (SELECT b.*, p.p_end + {follow} <= {as_at} AS ok FROM ins_blocks b JOIN ins_periods p USING (period_type, period)
      WHERE b.family = 'new60') b
LEFT JOIN ins_counts c ON b.ok AND c.metric = 'lk_pathways' AND c.breakdown = 'transition'
  AND c.period_type = b.period_type AND c.period = b.period AND c.area_code = b.area_code
LEFT JOIN ins_flags fl ON fl.metric = 'lk_pathways' AND fl.period_type = b.period_type AND fl.period = b.period
WHERE NOT b.ok OR c.n IS NOT NULL
"""
    ordered = f"""
SELECT {', '.join(OUTPUT_COLUMNS)} FROM (
  SELECT * FROM ins_values_main UNION ALL SELECT * FROM ins_values_pathways)
"""
    return [
        Statement("ins_value_cells", cells),
        Statement("ins_values_main", values, view=True),
        Statement("ins_values_pathways", pathways, view=True),
        Statement("ins_metric_values", ordered, view=True),
    ]
