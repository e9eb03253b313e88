"""An empty warehouse, and its person records as linkage standardises them (for tests that load a few rows)."""

from __future__ import annotations

import duckdb

from boroughhub.linkage.records import person_records_sql
from boroughhub.linkage.standardise import standardise


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    from boroughhub.warehouse.tables import schema_statements

    con = duckdb.connect()
    for statement in schema_statements():
        con.execute(statement)
    return con


def standardised_records(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, object]]:
    """The warehouse's person records, standardised, by unique id."""
    raw = con.sql(person_records_sql(con)).to_arrow_table()
    scratch = duckdb.connect()
    scratch.register("raw_arrow", raw)
    scratch.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    standardise(scratch, "raw", "std")
    return {r["unique_id"]: r for r in scratch.sql("SELECT * FROM std").to_arrow_table().to_pylist()}
