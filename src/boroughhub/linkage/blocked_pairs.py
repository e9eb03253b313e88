"""Candidate pairs for a full prediction: every blocking rule's join, each pair once, found cheaply.

Splink keeps each pair once by adding to every rule's join "and not any earlier rule": every pair a later
rule's join yields evaluates the conditions of all the rules before it (fifteen rules on London, some
with array guards). At all London that was 81 of the 216 CPU-seconds prediction took. Here each rule's
join yields only the two ids, the joins are concatenated and the pairs grouped (one hash aggregate):
the same pairs, 48 CPU-seconds (docs/decisions/0200-candidate-pairs-by-one-grouping.md). The rule that
found a pair first is its match key, as in Splink.

Plain SQL over the settings' own rules, so it cannot drift from them. DuckDB only: the Spark backend
keeps Splink's blocking (its shuffle costs differ; prediction parity between the two is tested).
"""

from __future__ import annotations

from typing import Any


def _rule_input(table: str, arrays_to_explode: list[str]) -> str:
    """The table a rule joins: one row per element of each exploded array column (Splink's
    ``arrays_to_explode``); a record whose array is empty or missing has no row, so it joins nothing."""
    source = table
    for column in arrays_to_explode:
        source = f'(SELECT * REPLACE (unnest("{column}") AS "{column}") FROM {source})'
    return source


def blocked_pairs_sql(settings: dict[str, Any], table: str) -> str:
    """SQL for Splink's blocked-pairs table (``match_key``, ``join_key_l``, ``join_key_r``) of a
    ``dedupe_only`` model's prediction blocking rules over ``table``."""
    if settings.get("link_type") != "dedupe_only":
        raise ValueError("Candidate pairs are built here only for deduplication; let Splink block a link job.")
    uid = settings.get("unique_id_column_name", "unique_id")
    joins = []
    for index, rule in enumerate(settings["blocking_rules_to_generate_predictions"]):
        side = _rule_input(table, list(rule.get("arrays_to_explode") or []))
        joins.append(
            f'SELECT l."{uid}" AS join_key_l, r."{uid}" AS join_key_r, {index} AS rule '
            f'FROM {side} AS l JOIN {side} AS r ON ({rule["blocking_rule"]}) AND l."{uid}" < r."{uid}"'
        )
    return (
        "SELECT CAST(min(rule) AS VARCHAR) AS match_key, join_key_l, join_key_r FROM ("
        + " UNION ALL ".join(joins)
        + ") GROUP BY join_key_l, join_key_r"
    )
