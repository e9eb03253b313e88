"""A rerun of the demo skips linkage and the refresh when nothing new was loaded or linked since."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from boroughhub.web.management.demo_steps import _warehouse_state


@pytest.fixture
def warehouse(settings, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    settings.DATA_DIR = tmp_path
    settings.WAREHOUSE_PATH = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    # The columns the check reads, as the warehouse, linkage and insights write them.
    con.execute("CREATE TABLE submissions (loaded_at TIMESTAMPTZ)")
    con.execute("CREATE TABLE person_link (unique_id VARCHAR)")
    con.execute("CREATE TABLE linkage_run (started_at TIMESTAMP, finished_at TIMESTAMP)")
    con.execute("CREATE TABLE metric_run (computed_at TIMESTAMPTZ)")
    con.execute("INSERT INTO submissions VALUES ('2026-11-27 10:00:00+00')")
    yield con
    con.close()


def state(con: duckdb.DuckDBPyConnection) -> tuple[bool, bool]:
    con.close()  # the check opens the warehouse itself
    return _warehouse_state()


def test_not_linked_until_a_run_finished_after_the_last_load(warehouse, settings):
    warehouse.execute("INSERT INTO linkage_run VALUES ('2026-11-27 09:00:00', '2026-11-27 09:01:00')")
    assert state(warehouse) == (False, False)


def test_linked_but_not_refreshed_then_both(warehouse, settings):
    warehouse.execute("INSERT INTO linkage_run VALUES ('2026-11-27 10:05:00', '2026-11-27 10:06:00')")
    warehouse.execute("INSERT INTO metric_run VALUES ('2026-11-27 10:05:30+00')")  # before the run ended
    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    assert state(con) == (True, False)
    con = duckdb.connect(str(settings.WAREHOUSE_PATH))
    con.execute("INSERT INTO metric_run VALUES ('2026-11-27 10:07:00+00')")
    (settings.DATA_DIR / "insights").mkdir()
    assert state(con) == (True, False)  # no published snapshot yet
    (settings.DATA_DIR / "insights" / "metric_values.parquet").write_bytes(b"")
    assert _warehouse_state() == (True, True)
