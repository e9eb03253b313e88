"""The person-level fact table every metric writes into before aggregation.

One row of ``ins_facts`` says: this person counts in this metric (and variant), period and area row. The
optional columns carry what a breakdown or a statistic needs: the reference date of the age (3.1), a
metric-specific category (band, outcome group, transition), the exit group of 6.3 variant B, and ``days``
for medians and means (``INFINITE_DAYS`` standing for +∞).
"""

from __future__ import annotations

from collections.abc import Sequence

from boroughhub.insights.params import LONDON
from boroughhub.reference import code_list

INFINITE_DAYS = 1_000_000_000

FACT_COLUMNS = (
    "metric", "variant", "period_type", "period", "area_code", "person_id", "ref_date",
    "cat_breakdown", "cat", "exit_group", "exit_to_long_term", "days",
)  # fmt: skip


def fact_select(
    source: str,
    metrics: Sequence[tuple[str, str]],
    *,
    variant: str = "''",
    ref_date: str = "first_night",
    cat_breakdown: str = "NULL",
    cat: str = "NULL",
    exit_group: str = "NULL",
    exit_to_long_term: str = "NULL",
    days: str = "NULL",
) -> str:
    """Rows of ``ins_facts`` from ``source`` (a table or subquery with period_type, period, area_code,
    person_id): one row per (metric, condition) pair whose SQL condition holds."""
    cases = ", ".join(f"CASE WHEN {condition} THEN '{metric}' END" for metric, condition in metrics)
    return f"""
SELECT * FROM (
  SELECT unnest(list_filter([{cases}], lambda x: x IS NOT NULL)) AS metric, {variant} AS variant, period_type, period,
    area_code, person_id, CAST({ref_date} AS DATE) AS ref_date, CAST({cat_breakdown} AS VARCHAR) AS cat_breakdown,
    CAST({cat} AS VARCHAR) AS cat, CAST({exit_group} AS VARCHAR) AS exit_group,
    CAST({exit_to_long_term} AS VARCHAR) AS exit_to_long_term, CAST({days} AS BIGINT) AS days
  FROM {source}
)"""


def with_london(attribution: str, extra_keys: tuple[str, ...] = ()) -> str:
    """An attribution select (period_type, period, person_id, *extra_keys, area_code) plus one London row
    per person."""
    keys = ", ".join(("period_type", "period", "person_id", *extra_keys))
    return f"""
SELECT {keys}, area_code FROM ({attribution})
UNION
SELECT {keys}, '{LONDON}' FROM ({attribution})
"""


def band_sql(list_name: str, days: str) -> str:
    """SQL CASE giving the band of ``days`` from a band list with ``min_days``/``max_days`` columns."""
    whens = []
    for band in code_list(list_name):
        test = f"{days} >= {int(band['min_days'])}"
        if band["max_days"]:
            test += f" AND {days} <= {int(band['max_days'])}"
        whens.append(f"WHEN {test} THEN '{band['code']}'")
    return f"CASE {' '.join(whens)} END"
