"""The standardised person records, kept from run to run, so a run standardises only new and changed ones.

Standardising every record (names cleaned and mapped to canonical forms, dates parsed, tokens listed) costs
seconds at London scale and gives the same answer every month for every record whose source row did not
change. So each run keeps the standardised records in ``identity.linkage_standardised_records`` with a hash
of the source row they came from (``raw_hash``) and of the standardisation itself (``standardisation``:
its SQL for the columns present, and the name maps). The next run reads the rows whose source hash still
matches and standardises only the rest; a new standardisation (more columns, another name map) standardises
everything again.

They are names, dates of birth and NI numbers, so they live in the ``identity`` schema beside the source
identifiers, and retention forgets a submission's records here when it deletes the submission (decision
0180). The columns are whatever ``standardise`` produces: a column it gains passes through unlisted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from boroughhub.linkage.names import first_name_map_rows, last_name_map_rows
from boroughhub.linkage.records import person_records_sql
from boroughhub.linkage.standardise import standardise, standardise_sql

STORE = "identity.linkage_standardised_records"
RAW = "linkage_tmp_raw_records"


@dataclass(frozen=True)
class Standardised:
    records: pa.Table  # every record, standardised, ordered by unique_id
    fresh: pa.Table  # the records standardised now, with ``raw_hash`` (all of them when ``rebuilt``)
    standardisation: str
    rebuilt: bool  # nothing could be reused: the store is written whole


def standardisation_version(available: set[str]) -> str:
    """Changes whenever standardising the same source row could give another result."""
    text = json.dumps([standardise_sql("raw", available), first_name_map_rows(), last_name_map_rows()])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _store_exists(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'identity' "
        "AND table_name = 'linkage_standardised_records'").fetchall()[0][0])


def read_standardised(con: duckdb.DuckDBPyConnection, reuse: bool = True) -> Standardised:
    """Every person record of the warehouse ``con``, standardised; reusing stored ones if ``reuse``."""
    # The source row, hashed whole: any column that changes (and any column added) counts.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW} AS SELECT p.*, md5(CAST(to_json(p) AS VARCHAR)) AS raw_hash "
                f"FROM ({person_records_sql(con)}) AS p")
    try:
        available = {row[0] for row in con.execute(f"SELECT * FROM {RAW} LIMIT 0").description} - {"raw_hash"}
        version = standardisation_version(available)
        stored = reuse and _store_exists(con) and con.execute(
            f"SELECT DISTINCT standardisation FROM {STORE}").fetchall() == [(version,)]
        if stored:
            match = "s.unique_id = r.unique_id AND s.raw_hash = r.raw_hash"
            changed = con.sql(f"SELECT r.* FROM {RAW} AS r ANTI JOIN {STORE} AS s ON {match}").to_arrow_table()
            kept = con.sql(f"SELECT s.* EXCLUDE (raw_hash, standardisation) FROM {STORE} AS s "
                           f"SEMI JOIN {RAW} AS r ON {match}").to_arrow_table()
        else:
            changed = con.sql(f"SELECT * FROM {RAW}").to_arrow_table()
            kept = None
    finally:
        con.execute(f"DROP TABLE IF EXISTS {RAW}")
    return _standardise_and_join(changed, kept, version)


def _standardise_and_join(changed: pa.Table, kept: pa.Table | None, version: str) -> Standardised:
    """Standardise ``changed`` in a scratch DuckDB (never the warehouse) and put it beside ``kept``."""
    scratch = duckdb.connect()
    try:
        scratch.register("linkage_changed_arrow", changed)
        scratch.execute("CREATE TABLE linkage_raw AS SELECT * EXCLUDE (raw_hash) FROM linkage_changed_arrow")
        standardise(scratch, "linkage_raw", "linkage_std")
        fresh = scratch.sql("SELECT s.*, c.raw_hash FROM linkage_std AS s JOIN linkage_changed_arrow AS c "
                            "USING (unique_id) ORDER BY s.unique_id").to_arrow_table()
        if kept is None:
            return Standardised(fresh.drop_columns(["raw_hash"]), fresh, version, rebuilt=True)
        scratch.register("linkage_kept_arrow", kept)
        records = scratch.sql("SELECT * FROM linkage_kept_arrow UNION ALL BY NAME SELECT * FROM linkage_std "
                              "ORDER BY unique_id").to_arrow_table()
        return Standardised(records.select(fresh.drop_columns(["raw_hash"]).column_names), fresh, version,
                            rebuilt=False)
    finally:
        scratch.close()


def store_standardised(con: duckdb.DuckDBPyConnection, standardised: Standardised) -> None:
    """Keep the records standardised now for the next run (inside the caller's transaction): the whole store
    when rebuilt, else the fresh rows in place of their old ones, and no row of a record that is gone."""
    con.register("linkage_tmp_fresh", standardised.fresh)
    con.register("linkage_tmp_current", standardised.records.select(["unique_id"]))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS identity")
        if standardised.rebuilt:
            con.execute(f"CREATE OR REPLACE TABLE {STORE} AS SELECT *, ? AS standardisation FROM linkage_tmp_fresh",
                        [standardised.standardisation])
            return
        con.execute(f"DELETE FROM {STORE} WHERE unique_id IN (SELECT unique_id FROM linkage_tmp_fresh) "
                    "OR unique_id NOT IN (SELECT unique_id FROM linkage_tmp_current)")
        con.execute(f"INSERT INTO {STORE} BY NAME SELECT *, ? AS standardisation FROM linkage_tmp_fresh",
                    [standardised.standardisation])
    finally:
        con.unregister("linkage_tmp_fresh")
        con.unregister("linkage_tmp_current")
