"""Which stored pairs an extract's term frequencies can have moved across the threshold.

A stored pair between two unchanged records scores again exactly what it scored, except through term
frequencies: where the pair agrees exactly on a name, Splink adjusts its weight by how common that name is
(``w * log2(u / tf)``, ``tf`` the value's share of the column's non-empty values, clamped below by the
level's minimum ``u``). New, changed and gone records change those shares. The change of one value's
adjustment is at most ``|log2(tf_before / tf_now)|`` times the adjustment's weight (the clamp only shrinks
it), and both shares are known without the values: each record's fingerprint keeps a hash of each value it
holds, so ``count_before = count_now - added + removed`` for every hash the changed records held before or
hold now, and each column's total moves by at most the number of records scored or gone.

So a pair can only have crossed the threshold if its distance from it (in bits) is at most the sum of
those bounds over the values its two records share, plus whatever its weight had already drifted unseen
in earlier runs. Those pairs' records are scored again with Splink (``predict_pairs_touching``), exactly
as a full relink scores them; every other pair keeps its weight, and the bound of the values it shares is
added to its drift so that later runs still know how far it may be off (decision 0180). The part every
pair shares (each column's total) is kept as one running number, not written to every pair.

Replaces "re-score every pair at an adjusted level whose value the extract holds", which at all London
re-scored 103,088 of 203,646 stored pairs for an extract of 227 records (an extract holds common names).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp

from boroughhub.linkage.train import TrainedModel, settings_with_parameters

# Rounding in Splink's arithmetic: a pair this close to the bound is scored again rather than trusted.
EPSILON_BITS = 1e-6
# A value no record held before (or holds now): any pair sharing it is scored again.
UNBOUNDED_BITS = 1e9


@dataclass(frozen=True)
class Drift:
    records_to_score: frozenset[str]  # the records of stored pairs that may have crossed the threshold
    pair_drift: pa.Table  # unique_id_l, unique_id_r, bits: drift to add to the pairs kept as they were
    shared_bits: float  # the running drift every stored pair shares, after this run


def largest_adjustment_weight(model: TrainedModel) -> float:
    """The largest ``tf_adjustment_weight`` of the model's levels (Splink's default is 1)."""
    settings = settings_with_parameters(model, "duckdb")
    weights = [float(level.get("tf_adjustment_weight", 1.0)) for comparison in settings["comparisons"]
               for level in comparison["comparison_levels"] if level.get("tf_adjustment_column")]
    return max(weights, default=0.0)


def adjusted_only_at_exact_matches(model: TrainedModel) -> bool:
    """Whether every term-frequency adjustment is at a level where the two records hold the same value of
    the adjusted column (then a pair's adjustment can only move with the values both records share): the
    level's condition is that equality, or a conjunction with it ("same first name, a last name missing")."""
    settings = settings_with_parameters(model, "duckdb")
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if column and not _requires_equal(str(level.get("sql_condition", "")), column):
                return False
    return True


def _requires_equal(condition: str, column: str) -> bool:
    """Whether ``condition`` holds only where ``column_l = column_r`` (that equality, alone or ANDed)."""
    try:
        parsed = sqlglot.parse_one(condition, dialect="duckdb")
    except sqlglot.errors.ParseError:
        return False
    while isinstance(parsed, exp.Paren):
        parsed = parsed.this
    conjuncts = list(parsed.flatten()) if isinstance(parsed, exp.And) else [parsed]
    sides = {f"{column}_l", f"{column}_r"}
    for conjunct in conjuncts:
        while isinstance(conjunct, exp.Paren):
            conjunct = conjunct.this
        if (isinstance(conjunct, exp.EQ) and isinstance(conjunct.left, exp.Column)
                and isinstance(conjunct.right, exp.Column) and {conjunct.left.name, conjunct.right.name} == sides):
            return True
    return False


def pairs_that_may_have_crossed(
    kept: pa.Table, records: pa.Table, term_frequency_columns: list[str], adjustment_weight: float,
    fingerprints: pa.Table, stored_fingerprints: pa.Table, to_score: frozenset[str], touched: frozenset[str],
    threshold: float, shared_bits: float, exact_matches_only: bool = True,
) -> Drift:
    """``kept``: stored pairs between unchanged records (with ``match_weight`` and ``drift_bits``);
    ``to_score``: new and changed records; ``touched``: changed and gone ones; ``shared_bits``: the running
    drift the last run left. Unless every adjustment is at an exact match (``exact_matches_only``), a pair's
    bound sums the moved values either record holds, not only those both hold: Splink adjusts by the larger
    of the two values' shares, which moves by no more than the sum of both."""
    threshold_weight = math.log2(threshold / (1 - threshold))
    con = duckdb.connect()
    try:
        con.register("kept", kept)
        con.register("records", records.select([c for c in term_frequency_columns if c in records.column_names]))
        con.register("fp", fingerprints)
        con.register("sfp", stored_fingerprints)
        con.register("to_score", pa.table({"unique_id": pa.array(sorted(to_score), pa.string())}))
        con.register("touched", pa.table({"unique_id": pa.array(sorted(touched), pa.string())}))
        counted = [f"count({c})" for c in term_frequency_columns if c in records.column_names]
        totals = con.execute(f"SELECT {', '.join(counted)} FROM records").fetchall()[0] if counted else ()
        column_bits = sum(_total_bits(total, len(to_score), len(touched)) for total in totals)
        shared_now = shared_bits + adjustment_weight * column_bits
        con.execute(_VALUE_BITS_SQL.format(unbounded=UNBOUNDED_BITS,
                                           values="list_intersect" if exact_matches_only else "list_concat"))
        crossed = con.execute(
            f"""SELECT unique_id_l, unique_id_r FROM kept LEFT JOIN pair_bits USING (unique_id_l, unique_id_r)
                WHERE abs(match_weight - ?) <= drift_bits + ? + ? * coalesce(bits, 0) + {EPSILON_BITS}""",
            [threshold_weight, shared_now, adjustment_weight],
        ).fetchall()
        drift = con.sql(
            f"SELECT unique_id_l, unique_id_r, {adjustment_weight} * bits AS bits FROM pair_bits WHERE bits > 0"
        ).to_arrow_table()
    finally:
        con.close()
    return Drift(frozenset(uid for pair in crossed for uid in pair), drift, shared_now)


def _total_bits(total: int, added: int, removed: int) -> float:
    """How far a column's total can have moved every share in it: ``added`` more values, ``removed`` fewer."""
    if total == 0:
        return 0.0
    if total <= added:
        return UNBOUNDED_BITS
    return max(math.log2(total / (total - added)), math.log2((total + removed) / total))


# Each value hash the changed records hold now (added) or held before (removed), its count now and before,
# and so the most its share can have moved; then, per kept pair, the sum over the moved values both hold.
_VALUE_BITS_SQL = """
CREATE TABLE added AS SELECT h, count(*) AS n FROM (
    SELECT unnest(value_hashes) AS h FROM fp WHERE unique_id IN (SELECT unique_id FROM to_score)) GROUP BY h;
CREATE TABLE removed AS SELECT h, count(*) AS n FROM (
    SELECT unnest(value_hashes) AS h FROM sfp WHERE unique_id IN (SELECT unique_id FROM touched)) GROUP BY h;
CREATE TABLE moved AS SELECT h, coalesce(a.n, 0) AS added, coalesce(r.n, 0) AS removed
    FROM added AS a FULL OUTER JOIN removed AS r USING (h);
CREATE TABLE counted AS SELECT h, count(*) AS n FROM (SELECT unnest(value_hashes) AS h FROM fp)
    WHERE h IN (SELECT h FROM moved) GROUP BY h;
CREATE TABLE value_bits AS
    SELECT m.h, CASE WHEN c.n > 0 AND c.n - m.added + m.removed > 0
                     THEN abs(log2((c.n - m.added + m.removed) / c.n)) ELSE {unbounded} END AS bits
    FROM moved AS m LEFT JOIN counted AS c USING (h);
CREATE TABLE holders AS SELECT DISTINCT unique_id FROM (SELECT unique_id, unnest(value_hashes) AS h FROM fp)
    WHERE h IN (SELECT h FROM value_bits);
CREATE TABLE pair_bits AS
    SELECT s.unique_id_l, s.unique_id_r, sum(b.bits) AS bits FROM (
        SELECT k.unique_id_l, k.unique_id_r, unnest({values}(l.value_hashes, r.value_hashes)) AS h
        FROM kept AS k JOIN fp AS l ON l.unique_id = k.unique_id_l
        JOIN fp AS r ON r.unique_id = k.unique_id_r
        WHERE k.unique_id_l IN (SELECT unique_id FROM holders) OR k.unique_id_r IN (SELECT unique_id FROM holders)) AS s
    JOIN value_bits AS b USING (h) GROUP BY s.unique_id_l, s.unique_id_r;
"""
