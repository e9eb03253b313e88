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

STORED_PAIRS_SQL = "SELECT unique_id_l, unique_id_r, match_probability, match_weight FROM linkage_scored_pairs"


def stored_state(con: duckdb.DuckDBPyConnection, model_version: int) -> tuple[pa.Table, pa.Table] | None:
    """The last run's record fingerprints and scored pairs, if that run used ``model_version``."""
    used = con.execute("SELECT DISTINCT model_version FROM linkage_record_state").fetchall()
    if used != [(model_version,)]:
        return None
    state = con.sql("SELECT unique_id, fingerprint, value_hashes FROM linkage_record_state").to_arrow_table()
    return state, con.sql(STORED_PAIRS_SQL).to_arrow_table()


def store_run_state(con: duckdb.DuckDBPyConnection, run_id: str, model_version: int, fingerprints: pa.Table,
                    pairs: pa.Table, held: PairsNow | None) -> None:
    """Write the run's pairs and fingerprints (inside the caller's transaction): whole after a full run
    (``held`` None), only what changed after an incremental one."""
    if held is None:
        con.execute("DELETE FROM linkage_scored_pairs")
        con.execute("DELETE FROM linkage_record_state")
        _insert(con, run_id, model_version, pairs, fingerprints)
        return
    dropped = pa.table({"unique_id": pa.array(sorted(held.rescored | held.changes.removed), pa.string())})
    renewed = pa.array(sorted(held.changes.to_score), pa.string())
    gone = pa.table({"unique_id": pa.array(sorted(held.changes.touched), pa.string())})
    con.register("linkage_tmp_dropped", dropped)
    con.register("linkage_tmp_gone", gone)
    try:
        con.execute("DELETE FROM linkage_scored_pairs WHERE unique_id_l IN (SELECT unique_id FROM linkage_tmp_dropped) "
                    "OR unique_id_r IN (SELECT unique_id FROM linkage_tmp_dropped)")
        con.execute("DELETE FROM linkage_record_state WHERE unique_id IN (SELECT unique_id FROM linkage_tmp_gone)")
    finally:
        con.unregister("linkage_tmp_dropped")
        con.unregister("linkage_tmp_gone")
    _insert(con, run_id, model_version, held.scored,
            fingerprints.filter(pc.is_in(fingerprints.column("unique_id"), value_set=renewed)))


def _insert(con: duckdb.DuckDBPyConnection, run_id: str, model_version: int, pairs: pa.Table,
            fingerprints: pa.Table) -> None:
    con.register("linkage_tmp_pairs", pairs)
    con.register("linkage_tmp_fingerprints", fingerprints)
    try:
        con.execute("INSERT INTO linkage_scored_pairs SELECT unique_id_l, unique_id_r, match_probability, "
                    "match_weight, ? FROM linkage_tmp_pairs", [run_id])
        con.execute("INSERT INTO linkage_record_state SELECT unique_id, fingerprint, value_hashes, ? "
                    "FROM linkage_tmp_fingerprints", [model_version])
    finally:
        con.unregister("linkage_tmp_pairs")
        con.unregister("linkage_tmp_fingerprints")
