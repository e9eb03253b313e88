"""What the next incremental run starts from: every pair as scored, and a fingerprint of what each record held.

A full run writes both tables whole. An incremental run changes only what it touched: it deletes the stored
pairs of the records it scored again or that are gone and adds the pairs it scored, and replaces the
fingerprints of new, changed and gone records. Rewriting hundreds of thousands of unchanged rows every month
would cost seconds at London scale and change nothing (decision 0180).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.incremental import PairsNow

STORED_PAIRS_SQL = ("SELECT unique_id_l, unique_id_r, match_probability, match_weight, coalesce(drift_bits, 0) "
                    "AS drift_bits FROM linkage_scored_pairs")


def stored_state(con: duckdb.DuckDBPyConnection, model_version: int) -> tuple[pa.Table, pa.Table, float] | None:
    """The last run's record fingerprints, scored pairs and shared drift, if that run used ``model_version``."""
    used = con.execute("SELECT DISTINCT model_version FROM linkage_record_state").fetchall()
    if used != [(model_version,)]:
        return None
    drift = con.execute("SELECT shared_bits FROM linkage_weight_drift WHERE model_version = ?",
                        [model_version]).fetchall()
    state = con.sql("SELECT unique_id, fingerprint, value_hashes FROM linkage_record_state").to_arrow_table()
    return state, con.sql(STORED_PAIRS_SQL).to_arrow_table(), float(drift[0][0]) if drift else 0.0


def store_run_state(con: duckdb.DuckDBPyConnection, run_id: str, model_version: int, fingerprints: pa.Table,
                    pairs: pa.Table, held: PairsNow | None) -> None:
    """Write the run's pairs and fingerprints (inside the caller's transaction): whole after a full run
    (``held`` None), only what changed after an incremental one."""
    con.execute("DELETE FROM linkage_weight_drift")
    con.execute("INSERT INTO linkage_weight_drift VALUES (?, ?)",
                [model_version, 0.0 if held is None else held.shared_bits])
    if held is None:
        con.execute("DELETE FROM linkage_scored_pairs")
        con.execute("DELETE FROM linkage_record_state")
        _insert(con, run_id, model_version, pairs, fingerprints, 0.0)
        return
    dropped = pa.table({"unique_id": pa.array(sorted(held.rescored | held.changes.removed), pa.string())})
    renewed = pa.array(sorted(held.changes.to_score), pa.string())
    gone = pa.table({"unique_id": pa.array(sorted(held.changes.touched), pa.string())})
    con.register("linkage_tmp_dropped", dropped)
    con.register("linkage_tmp_gone", gone)
    con.register("linkage_tmp_drift", held.pair_drift)
    try:
        con.execute("DELETE FROM linkage_scored_pairs WHERE unique_id_l IN (SELECT unique_id FROM linkage_tmp_dropped) "
                    "OR unique_id_r IN (SELECT unique_id FROM linkage_tmp_dropped)")
        con.execute("DELETE FROM linkage_record_state WHERE unique_id IN (SELECT unique_id FROM linkage_tmp_gone)")
        # Pairs kept as they were carry the drift the changed frequencies may have given them.
        con.execute("UPDATE linkage_scored_pairs AS s SET drift_bits = coalesce(s.drift_bits, 0) + d.bits "
                    "FROM linkage_tmp_drift AS d WHERE s.unique_id_l = d.unique_id_l AND s.unique_id_r = d.unique_id_r")
    finally:
        for name in ("linkage_tmp_dropped", "linkage_tmp_gone", "linkage_tmp_drift"):
            con.unregister(name)
    # A pair scored now has drifted nothing: less the shared drift so far, which later runs add back.
    _insert(con, run_id, model_version, held.scored,
            fingerprints.filter(pc.is_in(fingerprints.column("unique_id"), value_set=renewed)), -held.shared_bits)


def _insert(con: duckdb.DuckDBPyConnection, run_id: str, model_version: int, pairs: pa.Table,
            fingerprints: pa.Table, drift_bits: float) -> None:
    con.register("linkage_tmp_pairs", pairs)
    con.register("linkage_tmp_fingerprints", fingerprints)
    try:
        con.execute("INSERT INTO linkage_scored_pairs (unique_id_l, unique_id_r, match_probability, match_weight, "
                    "run_id, drift_bits) SELECT unique_id_l, unique_id_r, match_probability, match_weight, ?, ? "
                    "FROM linkage_tmp_pairs", [run_id, drift_bits])
        con.execute("INSERT INTO linkage_record_state SELECT unique_id, fingerprint, value_hashes, ? "
                    "FROM linkage_tmp_fingerprints", [model_version])
    finally:
        con.unregister("linkage_tmp_pairs")
        con.unregister("linkage_tmp_fingerprints")
