"""Which of the other records can pair with some chosen ones at all: those sharing a blocking rule's keys.

Every prediction blocking rule is an equi-join (a guard may filter its pairs further, decision 0150): a pair
can come from a rule only if the two records agree on each of the rule's equalities. So before the chosen
records are linked against the rest (``predict.predict_pairs_touching``), the rest is cut down to the
records that share, for at least one rule, all of that rule's equality keys with a chosen record, in either
direction (some rules compare one record's first name with the other's last). Splink then blocks and
scores exactly as it would have over all records, on a few thousand of them instead of all London; the
term frequencies come from all records, registered with Splink (``register_term_frequency_lookup``).

A rule whose equalities cannot be read (none at the top level of its condition) keeps every record.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp


def equality_keys(rule_sql: str) -> list[tuple[str, str]] | None:
    """The rule's top-level ``l.<expr> = r.<expr>`` equalities as (left, right) SQL without the table
    prefixes; None if it has none (the rule then cannot narrow anything)."""
    conjuncts: list[exp.Expr] = []

    def walk(node: exp.Expr) -> None:
        node = node.unnest()
        if isinstance(node, exp.And):
            walk(node.left)
            walk(node.right)
        else:
            conjuncts.append(node)

    walk(sqlglot.parse_one(rule_sql, dialect="duckdb"))
    keys = []
    for condition in conjuncts:
        if not isinstance(condition, exp.EQ):
            continue
        sides = {_table_of(condition.left): condition.left, _table_of(condition.right): condition.right}
        if set(sides) == {"l", "r"}:
            keys.append((_without_table(sides["l"]), _without_table(sides["r"])))
    return keys or None


def _table_of(node: exp.Expr) -> str | None:
    tables = {column.table for column in node.find_all(exp.Column)}
    return tables.pop() if len(tables) == 1 else None


def _without_table(node: exp.Expr) -> str:
    bare = node.copy()
    for column in bare.find_all(exp.Column):
        column.set("table", None)
    return bare.sql(dialect="duckdb")


_ROW = "linkage_rest_row"


def rest_that_can_pair(chosen: pa.Table, rest: pa.Table, settings: dict[str, Any]) -> pa.Table:
    """The rows of ``rest`` that share all equality keys of some blocking rule with a row of ``chosen``."""
    rules = [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    keyed = [equality_keys(rule) for rule in rules]
    if any(keys is None for keys in keyed):
        return rest
    con = duckdb.connect()
    try:
        con.register("chosen", chosen)
        # Row numbers given here, not by the scan: a parallel scan need not keep the order.
        con.register("rest_values", rest.append_column(_ROW, pa.array(range(rest.num_rows), pa.int64())))
        matches = []
        for keys in keyed:
            assert keys is not None
            # Both directions: the rest record on the right of the rule, then on the left.
            for mine, theirs in ((0, 1), (1, 0)):
                on = " AND ".join(f"c.k{i} = r.k{i}" for i in range(len(keys)))
                chosen_keys = ", ".join(f"{key[mine]} AS k{i}" for i, key in enumerate(keys))
                rest_keys = ", ".join(f"{key[theirs]} AS k{i}" for i, key in enumerate(keys))
                matches.append(
                    f"SELECT r.{_ROW} AS n FROM (SELECT {_ROW}, {rest_keys} FROM rest_values) AS r "
                    f"SEMI JOIN (SELECT DISTINCT {chosen_keys} FROM chosen) AS c ON {on}")
        rows = con.sql(f"SELECT DISTINCT n FROM ({' UNION ALL '.join(matches)}) ORDER BY n").to_arrow_table()
    finally:
        con.close()
    return rest.take(rows.column("n"))
