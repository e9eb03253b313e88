"""Incremental linkage: score only what changed, keep every other stored pair as it was.

A full relink scores every blocked pair and clusters them. Almost all of those pairs are the same from
one month to the next: only pairs that touch a record that is new, or whose values changed (a corrected
date of birth in a new extract), can score differently under the same model. So each run stores its
scored pairs (``linkage_scored_pairs``) and a fingerprint of each record's standardised values
(``linkage_record_state``); an incremental run

1. finds the records that are new, changed or gone (``what_changed``);
2. keeps the stored pairs between unchanged records, drops those touching changed or gone ones;
3. finds the kept pairs whose weight the changed term frequencies can have moved across the threshold
   (``weight_drift``: a bound from counts of hashed values, no record values, no scoring) and
4. scores, with Splink's ``predict`` and today's term frequencies, every pair touching a new or changed
   record or a record of such a pair (those records blocked against the rest as a ``link_only`` job,
   ``predict.predict_pairs_touching``).

``link.py`` then clusters again only the components these changes reach (``components.py``), so existing
persons merge when a new record links them and split when the record that held them together changes or
leaves, as a full relink would (docs/decisions/0151-..., 0180-...).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.backend_choice import LinkageBackend
from boroughhub.linkage.explain import term_frequency_columns
from boroughhub.linkage.predict import PAIR_SCHEMA, predict_pairs_touching
from boroughhub.linkage.train import TrainedModel
from boroughhub.linkage.weight_drift import (
    adjusted_only_at_exact_matches,
    largest_adjustment_weight,
    pairs_that_may_have_crossed,
)

# Columns that name the record rather than describe it: every other standardised column is fingerprinted,
# so a column the standardisation gains (and a model may compare) counts as a change without being listed.
IDENTIFYING_COLUMNS = ("unique_id", "supplier_code", "record_key", "is_new")

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
    """``unique_id, fingerprint, value_hashes``: a hash of each record's standardised values, and a hash of
    each term-frequency value it holds (so a later run knows whose frequencies it moved)."""
    present = [c for c in records.column_names if c not in IDENTIFYING_COLUMNS]
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


def fingerprints_reusing(records: pa.Table, fresh: pa.Table, stored: pa.Table, term_frequency_columns: list[str]
                         ) -> pa.Table:
    """Fingerprints of ``records``: computed for the ``fresh`` ones (standardised this run) and any the stored
    state lacks; the stored ones for the rest (same standardised values, same model, same fingerprint)."""
    ids = records.column("unique_id")
    fresh_ids = fresh.column("unique_id")
    reused = stored.filter(pc.and_(pc.is_in(stored.column("unique_id"), value_set=ids),
                                   pc.invert(pc.is_in(stored.column("unique_id"), value_set=fresh_ids))))
    to_compute = records.filter(pc.invert(pc.is_in(ids, value_set=reused.column("unique_id"))))
    return pa.concat_tables([reused.select(FINGERPRINT_SCHEMA.names).cast(FINGERPRINT_SCHEMA),
                             record_fingerprints(to_compute, term_frequency_columns)])


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


@dataclass(frozen=True)
class PairsNow:
    """What an incremental run holds after scoring what changed."""

    pairs: pa.Table  # every pair for clustering: stored ones kept, and those scored now
    scored: pa.Table  # the pairs scored now
    changes: Changes
    # Records whose pairs were all scored again (new, changed, or holding a stored pair that may have crossed).
    rescored: frozenset[str]
    pair_drift: pa.Table  # unique_id_l, unique_id_r, bits: added to the drift of pairs kept as they were
    shared_bits: float  # the running drift every stored pair shares (``weight_drift``)


def pairs_after_changes(
    backend: LinkageBackend,
    records: pa.Table,
    model: TrainedModel,
    threshold: float,
    fingerprints: pa.Table,
    stored_fingerprints: pa.Table,
    stored_pairs: pa.Table,
    shared_bits: float = 0.0,
) -> PairsNow:
    """Every pair for clustering, the pairs scored now, and what changed since the stored state.

    ``stored_pairs`` has ``PAIR_SCHEMA``'s columns and ``drift_bits``; ``shared_bits`` is the running drift
    the last run left (``weight_drift``)."""
    changes = what_changed(fingerprints, stored_fingerprints)
    if "drift_bits" not in stored_pairs.column_names:
        stored_pairs = stored_pairs.append_column("drift_bits", pa.array([0.0] * stored_pairs.num_rows, pa.float64()))
    touched = pa.array(sorted(changes.touched), pa.string())
    keep = pc.invert(
        pc.or_(pc.is_in(stored_pairs.column("unique_id_l"), touched), pc.is_in(stored_pairs.column("unique_id_r"), touched))
    )
    kept = stored_pairs.filter(keep)
    if not (changes.to_score or changes.removed):
        return PairsNow(kept.select(PAIR_SCHEMA.names).cast(PAIR_SCHEMA), PAIR_SCHEMA.empty_table(), changes,
                        frozenset(), _NO_DRIFT, shared_bits)
    drift = pairs_that_may_have_crossed(
        kept, records, term_frequency_columns(model), largest_adjustment_weight(model), fingerprints,
        stored_fingerprints, changes.to_score, changes.touched, threshold, shared_bits,
        adjusted_only_at_exact_matches(model))
    rescored = changes.to_score | drift.records_to_score
    rescore = pa.array(sorted(rescored), pa.string())
    kept = kept.filter(pc.invert(pc.or_(pc.is_in(kept.column("unique_id_l"), rescore),
                                        pc.is_in(kept.column("unique_id_r"), rescore))))
    scored = predict_pairs_touching(backend, records, model, rescore)
    pairs = pa.concat_tables([kept.select(PAIR_SCHEMA.names).cast(PAIR_SCHEMA), scored])
    return PairsNow(pairs, scored, changes, rescored, drift.pair_drift, drift.shared_bits)


_NO_DRIFT = pa.table({"unique_id_l": pa.array([], pa.string()), "unique_id_r": pa.array([], pa.string()),
                      "bits": pa.array([], pa.float64())})
