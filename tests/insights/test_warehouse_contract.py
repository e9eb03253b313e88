"""The metrics run on the warehouse's own DDL (boroughhub.warehouse, boroughhub.linkage), not only on
``insights.contract``: the worked example copied into those tables gives the same metric_values."""

from __future__ import annotations

import duckdb
import pytest

from boroughhub.insights.contract import IDENTITY_TABLES, MAIN_TABLES
from boroughhub.insights.metrics import Parameters, compute

warehouse_tables = pytest.importorskip("boroughhub.warehouse.tables")
link_tables = pytest.importorskip("boroughhub.linkage.link_tables")


def test_worked_example_on_warehouse_ddl(worked: duckdb.DuckDBPyConnection) -> None:
    source = worked.cursor()  # its own result state: earlier tests may leave a result open on `worked`
    con = duckdb.connect()
    for statement in warehouse_tables.schema_statements():
        con.execute(statement)
    con.execute(link_tables.DDL)
    for schema, tables in (("main", [*MAIN_TABLES, "person_link"]), ("identity", list(IDENTITY_TABLES))):
        for table in tables:
            frame = source.table(f"{schema}.{table}").arrow()  # noqa: F841 - read by DuckDB below
            con.execute(f"INSERT INTO {schema}.{table} BY NAME SELECT * FROM frame")
    frame = source.sql(  # noqa: F841
        "SELECT submission_id, source, supplier_code, 1 AS version, 'current' AS status, extract_period_start, "
        "extract_period_end FROM main.submissions"
    ).arrow()
    con.execute("INSERT INTO main.submissions BY NAME SELECT * FROM frame")
    compute(con, Parameters())
    columns = "metric, variant, period_type, period, area_code, breakdown, breakdown_value, measure, value, flags"
    got = set(con.execute(f"SELECT {columns} FROM ins_metric_values").fetchall())
    expected = set(source.execute(f"SELECT {columns} FROM main.metric_values").fetchall())
    assert got == expected
