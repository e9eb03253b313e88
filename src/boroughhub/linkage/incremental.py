"""Incremental linkage: score only what changed, then recluster from every stored pair.

A full relink scores every blocked pair and clusters them. Almost all of those pairs are the same from
one month to the next: only pairs that touch a record that is new, or whose compared values changed
(a corrected date of birth in a new extract), can score differently under the same model. So each run
stores its scored pairs (``linkage_scored_pairs``) and a fingerprint of each record's compared values
(``linkage_record_state``); an incremental run

1. finds the records that are new, changed or gone (``what_changed``);
2. scores only the pairs touching new or changed records (those records blocked against the rest as
   a ``link_only`` job, ``predict.predict_pairs_touching``; term frequencies still come from all records);
3. keeps the stored pairs between unchanged records, drops those touching changed or gone ones
   (``pairs_after_changes``), and
4. reclusters: the same connected components, clerical decisions and stable ids as a full run.

So existing persons merge when a new record links them, and split when the record that held them
together changes or leaves. A stored pair's weight can still move through term frequencies (a name
the new records hold becomes commoner, so agreeing on it counts for less): every stored pair that
reached a term-frequency-adjusted level whose value the changed records hold, or that lies near the
threshold, is scored again, with its records, by Splink's ``predict`` and today's frequencies
(``records_of_moved_pairs``), so the partition is a full relink's (docs/decisions/0151-...).
Reclustering the whole graph rather than only the components the changes touch gives the same
answer (the other components have the same edges) and costs a second or two at London scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.backend_choice import LinkageBackend
from boroughhub.linkage.explain import score_components, term_frequency_levels
from boroughhub.linkage.predict import PAIR_SCHEMA, predict_pairs_touching
from boroughhub.linkage.train import TrainedModel

# The standardised columns the model reads: a record whose values here are unchanged scores the same.
COMPARED_COLUMNS = (
    "first_name", "given_name", "last_name", "full_name", "name_tokens", "dob", "ni_number", "gender",
    "nationality", "chain_ref", "postcode", "address", "source",
)

FINGERPRINT_SCHEMA = pa.schema(
    [("unique_id", pa.string()), ("fingerprint", pa.string()), ("value_hashes", pa.list_(pa.string()))]
)
# Name of column plus value, hashed: which term-frequency values a record holds, without keeping them.
VALUE_HASH_SQL = "md5('{column}=' || {column})"

@dataclass(frozen=True)
class Changes:
    """Records since the stored state: new, with changed compared values, and no longer present."""

    new: frozenset[str]
    changed: frozenset[str]
    removed: frozenset[str]

    @property
    def to_score(self) -> frozenset[str]:
        return self.new | self.changed

    @property
    def touched(self) -> frozenset[str]:
        """Records whose stored pairs no longer hold."""
        return self.changed | self.removed


def record_fingerprints(records: pa.Table, term_frequency_columns: list[str]) -> pa.Table:
    """``unique_id, fingerprint, value_hashes``: a hash of each record's compared values, and a hash of
    each term-frequency value it holds (so a later run knows whose frequencies it moved)."""
    present = [c for c in COMPARED_COLUMNS if c in records.column_names]
    # to_json keeps NULL apart from the string 'null' and arrays apart from their joined text.
    values = ", ".join(f"to_json({c})::VARCHAR" for c in present)
    hashes = ", ".join(VALUE_HASH_SQL.format(column=c) for c in term_frequency_columns if c in records.column_names)
    con = duckdb.connect()
    try:
        con.register("records", records)
        return con.sql(
            f"SELECT unique_id, md5(concat_ws(chr(31), {values})) AS fingerprint, "
            f"list_filter([{hashes}], lambda h: h IS NOT NULL) AS value_hashes FROM records"
        ).to_arrow_table().cast(FINGERPRINT_SCHEMA)
    finally:
        con.close()


def what_changed(current: pa.Table, stored: pa.Table) -> Changes:
    """Compare fingerprints now (``current``) with those the last run stored."""
    joined = current.select(["unique_id", "fingerprint"]).join(
        stored.select(["unique_id", "fingerprint"]).rename_columns(["unique_id", "stored_fingerprint"]),
        "unique_id", join_type="full outer")
    now, before = joined.column("fingerprint"), joined.column("stored_fingerprint")
    ids = joined.column("unique_id")

    def chosen(mask: pa.ChunkedArray) -> frozenset[str]:
        return frozenset(ids.filter(mask).to_pylist())

    return Changes(
        new=chosen(pc.is_null(before)),
        changed=chosen(pc.and_(pc.and_(pc.is_valid(now), pc.is_valid(before)), pc.not_equal(now, before))),
        removed=chosen(pc.is_null(now)),
    )


# A stored pair this close to the threshold (in match weight, bits) is re-scored whatever values it holds:
# adding records rescales every term frequency a little (by log2 of the growth in records).
THRESHOLD_MARGIN_BITS = 1.0


def records_of_moved_pairs(
    kept: pa.Table, records: pa.Table, model: TrainedModel, fingerprints: pa.Table, moved_values: pa.Array,
    threshold: float,
) -> frozenset[str]:
    """The records of stored pairs whose weight may have moved with term frequencies. A frequency adjusts
    a pair's weight only where the pair reached a term-frequency-adjusted level (exact full name, exact
    last name, exact first name): so a pair moves if it reached one and either that level's value is in
    ``moved_values`` (the value hashes of the new, changed and gone records, before and after), or its
    weight is within ``THRESHOLD_MARGIN_BITS`` of the threshold's (more records rescale every frequency
    a little). Scoring every pair of these records again with Splink gives exactly what a full relink
    gives them; a pair at a level without an adjustment scores what it scored last time."""
    if kept.num_rows == 0:
        return frozenset()
    candidates = _pairs_sharing_a_moved_value_or_near(kept, fingerprints, moved_values, threshold)
    if candidates.num_rows == 0:
        return frozenset()
    levels = score_components(records, model, candidates)
    con = duckdb.connect()
    try:
        con.register("levels", levels)
        con.register("candidates", candidates)
        con.register("records", records.select([c for c in records.column_names if c != "is_new"]))
        con.register("moved_values_arrow", pa.table({"h": moved_values}))
        con.execute("CREATE TABLE moved_values AS SELECT DISTINCT h FROM moved_values_arrow")
        threshold_weight = math.log2(threshold / (1 - threshold))
        # At an exact-match level the two records hold the same value: the left one's stands for both.
        moved_at = " OR ".join(
            f"(v.{gamma} = {level} AND (md5('{column}=' || rl.{column}) IN (SELECT h FROM moved_values)"
            f" OR abs(c.match_weight - {threshold_weight}) <= {THRESHOLD_MARGIN_BITS}))"
            for gamma, level, column in term_frequency_levels(model)
        ) or "FALSE"
        rows = con.sql(
            f"""WITH moved AS (
                   SELECT c.unique_id_l, c.unique_id_r FROM candidates AS c
                   JOIN levels AS v ON v.unique_id_l = c.unique_id_l AND v.unique_id_r = c.unique_id_r
                   JOIN records AS rl ON rl.unique_id = c.unique_id_l
                   WHERE {moved_at})
               SELECT unique_id_l FROM moved UNION SELECT unique_id_r FROM moved"""
        ).fetchall()
    finally:
        con.close()
    return frozenset(r[0] for r in rows)


def _pairs_sharing_a_moved_value_or_near(
    kept: pa.Table, fingerprints: pa.Table, moved_values: pa.Array, threshold: float
) -> pa.Table:
    """Stored pairs that might have moved: their two records share a value in ``moved_values``, or the
    weight is near the threshold's (cheap to find; ``records_of_moved_pairs`` then checks the level)."""
    threshold_weight = math.log2(threshold / (1 - threshold))
    con = duckdb.connect()
    try:
        con.register("kept", kept)
        con.register("fingerprints", fingerprints)
        con.register("moved_values_arrow", pa.table({"h": moved_values}))
        con.execute("CREATE TABLE moved_values AS SELECT DISTINCT h FROM moved_values_arrow")
        return con.sql(
            f"""SELECT DISTINCT unique_id_l, unique_id_r, match_weight FROM (
                   SELECT s.unique_id_l, s.unique_id_r, s.match_weight FROM (
                       SELECT k.unique_id_l, k.unique_id_r, k.match_weight,
                              unnest(list_intersect(fl.value_hashes, fr.value_hashes)) AS h
                       FROM kept AS k
                       JOIN fingerprints AS fl ON fl.unique_id = k.unique_id_l
                       JOIN fingerprints AS fr ON fr.unique_id = k.unique_id_r) AS s
                   JOIN moved_values AS m ON m.h = s.h
                   UNION ALL
                   SELECT unique_id_l, unique_id_r, match_weight FROM kept
                   WHERE abs(match_weight - {threshold_weight}) <= {THRESHOLD_MARGIN_BITS})"""
        ).to_arrow_table()
    finally:
        con.close()


def _hashes_of(fingerprints: pa.Table, ids: frozenset[str]) -> pa.Array:
    chosen = fingerprints.filter(pc.is_in(fingerprints.column("unique_id"), pa.array(sorted(ids), pa.string())))
    return pc.list_flatten(chosen.column("value_hashes")).combine_chunks()


@dataclass(frozen=True)
class PairsNow:
    """What an incremental run holds after scoring what changed."""

    pairs: pa.Table  # every pair for clustering: stored ones kept, and those scored now
    scored: pa.Table  # the pairs scored now
    changes: Changes
    # Records whose pairs were all scored again (new, changed, or holding a stored pair whose weight moved).
    rescored: frozenset[str]


def pairs_after_changes(
    backend: LinkageBackend,
    records: pa.Table,
    model: TrainedModel,
    threshold: float,
    fingerprints: pa.Table,
    stored_fingerprints: pa.Table,
    stored_pairs: pa.Table,
) -> PairsNow:
    """Every pair for clustering, the pairs scored now, and what changed since the stored state."""
    changes = what_changed(fingerprints, stored_fingerprints)
    touched = pa.array(sorted(changes.touched), pa.string())
    keep = pc.invert(
        pc.or_(pc.is_in(stored_pairs.column("unique_id_l"), touched), pc.is_in(stored_pairs.column("unique_id_r"), touched))
    )
    kept = stored_pairs.select(PAIR_SCHEMA.names).cast(PAIR_SCHEMA).filter(keep)
    if not (changes.to_score or changes.removed):
        return PairsNow(kept, PAIR_SCHEMA.empty_table(), changes, frozenset())
    moved_values = pa.concat_arrays([
        _hashes_of(fingerprints, changes.to_score), _hashes_of(stored_fingerprints, changes.touched)
    ])
    moved = records_of_moved_pairs(kept, records, model, fingerprints, moved_values, threshold)
    rescored = changes.to_score | moved
    rescore = pa.array(sorted(rescored), pa.string())
    kept = kept.filter(pc.invert(pc.or_(pc.is_in(kept.column("unique_id_l"), rescore),
                                        pc.is_in(kept.column("unique_id_r"), rescore))))
    scored = predict_pairs_touching(backend, records, model, rescore)
    return PairsNow(pa.concat_tables([kept, scored]), scored, changes, rescored)
