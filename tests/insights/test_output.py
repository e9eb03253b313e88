"""Shape of ``metric_values`` (metrics.md 7): keys, blocks, markers, flags, parameters."""

from __future__ import annotations

import dataclasses

import duckdb

from boroughhub.insights.metrics import (
    LONDON,
    METRIC_IDS,
    OUTPUT_COLUMNS,
    Parameters,
    compute,
    refresh,
    resolve,
)
from tests.insights import worked_example
from tests.insights.worked_example import CA, HX, WM


def test_columns_and_unique_keys(worked: duckdb.DuckDBPyConnection) -> None:
    columns = [r[0] for r in worked.execute("DESCRIBE main.metric_values").fetchall()]
    assert tuple(columns) == OUTPUT_COLUMNS
    keys = ", ".join(c for c in OUTPUT_COLUMNS if c not in ("value", "flags"))
    duplicates = worked.execute(
        f"SELECT count(*) FROM (SELECT {keys} FROM main.metric_values GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    assert duplicates == (0,)


def test_every_metric_id_is_written(worked: duckdb.DuckDBPyConnection) -> None:
    written = {r[0] for r in worked.execute("SELECT DISTINCT metric FROM main.metric_values").fetchall()}
    assert written == set(METRIC_IDS)
    assert len(METRIC_IDS) == 40  # 13 of section 4, 10 of section 5, 17 of section 6


def test_incomplete_follow_up_writes_markers(worked: duckdb.DuckDBPyConnection) -> None:
    brief = worked.execute(
        "SELECT DISTINCT value FROM main.metric_values WHERE metric LIKE 'lk_brief%' AND period = '2023/24'"
    ).fetchall()
    assert brief == [("[x]",)]
    pathways = worked.execute(
        "SELECT area_code, breakdown, breakdown_value, measure, value FROM main.metric_values "
        "WHERE metric = 'lk_pathways' AND period = '2023/24' ORDER BY area_code"
    ).fetchall()
    assert pathways and all(row[1:] == ("none", "", "count", "[x]") for row in pathways)
    assert {row[0] for row in pathways} >= {LONDON, CA}


def test_london_block_always_written_other_areas_only_with_cohort(worked: duckdb.DuckDBPyConnection) -> None:
    def areas(metric: str, period: str) -> set[str]:
        rows = worked.execute(
            "SELECT DISTINCT area_code FROM main.metric_values WHERE metric = ? AND period = ?", [metric, period]
        ).fetchall()
        return {r[0] for r in rows}

    assert areas("chain_total", "2017/18") == {LONDON, WM}  # only P04 seen, in Westminster
    assert areas("fw_r1", "2019-01") == {LONDON}
    assert areas("fw_t1_n", "2023/24") == {LONDON, "E09000022", CA}
    assert areas("lk_prev_hclic_coverage", "2022/23") == {LONDON}


def test_short_history_flags(worked: duckdb.DuckDBPyConnection) -> None:
    def flags(metric: str, period: str) -> set[str]:
        rows = worked.execute(
            "SELECT DISTINCT flags FROM main.metric_values WHERE metric = ? AND period = ?", [metric, period]
        ).fetchall()
        return {r[0] for r in rows}

    assert flags("chain_total", "2021/22") == {"short_history"}
    assert flags("chain_total", "2022/23") == {""}  # lookback start equals history_start: not flagged
    assert flags("fw_r1", "2017-04") == {""}  # R1 is never flagged
    assert flags("fw_p2", "2017-07") == {""}  # 85 days before July is after history_start
    assert flags("fw_p2", "2017-06") == {"short_history"}
    assert flags("lk_nonrec_n", "2023/24") == {""}
    assert flags("lk_nonrec_n", "2019/20") == {"short_history"}


def test_rate_markers_and_coverage(worked: duckdb.DuckDBPyConnection) -> None:
    def one(metric: str, period: str, area: str) -> str:
        row = worked.execute(
            "SELECT value FROM main.metric_values WHERE metric = ? AND period = ? AND area_code = ?",
            [metric, period, area],
        ).fetchone()
        assert row is not None
        return str(row[0])

    assert one("fw_r1_rate", "2023-06", LONDON) == "[x]"
    assert one("fw_r1_rate", "2023-06", HX) == "[z]"
    assert one("lk_prev_hclic_coverage", "2022/23", LONDON) == "2"
    assert one("lk_prev_hclic_coverage", "2020/21", LONDON) == "0"


def test_rate_with_population_estimates() -> None:
    con = duckdb.connect()
    worked_example.load(con)
    con.execute("CREATE TABLE main.population_estimates (area_code VARCHAR, year INTEGER, population INTEGER)")
    con.execute(f"INSERT INTO main.population_estimates VALUES ('{LONDON}', 2022, 8000000), ('{LONDON}', 2023, 10000000)")
    compute(con, Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT))
    rate = con.execute(
        "SELECT value FROM ins_metric_values WHERE metric = 'fw_r1_rate' AND period IN ('2023-06', '2023-08') "
        f"AND area_code = '{LONDON}' ORDER BY period"
    ).fetchall()
    # June 2023: the 2023 estimate (30 June 2023) is on or before 30 June; August: one person (P03).
    assert float(rate[0][0]) == 5 * 100000 / 10000000
    assert float(rate[1][0]) == 1 * 100000 / 10000000


def test_p1_scope_area_changes_only_area_rows() -> None:
    con = duckdb.connect()
    worked_example.load(con)
    params = Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT, p1_scope="area")
    compute(con, params)
    rows = dict(
        con.execute(
            "SELECT area_code, value FROM ins_metric_values WHERE metric = 'fw_p1' AND period = '2023-06' "
            "AND breakdown = 'none'"
        ).fetchall()
    )
    assert rows[LONDON] == "2"
    assert rows[CA] == "2"  # P01's first Camden night counts as new in Camden
    assert rows[WM] == "0"
    assert rows[HX] == "1"


def test_refresh_is_atomic_on_failure() -> None:
    con = duckdb.connect()
    worked_example.load(con)
    refresh(con, Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT))
    before = con.execute("SELECT count(*) FROM main.metric_values").fetchone()
    con.execute("DROP TABLE main.hclic_relief")
    try:
        refresh(con, Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT))
    except RuntimeError:
        pass
    else:
        raise AssertionError("refresh should fail without hclic_relief")
    assert con.execute("SELECT count(*) FROM main.metric_values").fetchone() == before


def test_cut_off_ignores_later_events() -> None:
    """With as_at = 2023-06-30, P11's supported-housing move (2024) and later nights are ignored."""
    con = duckdb.connect()
    worked_example.load(con)
    params = Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT)
    compute(con, dataclasses.replace(params, as_at=__import__("datetime").date(2023, 6, 30)))
    periods = {r[0] for r in con.execute("SELECT DISTINCT period FROM ins_metric_values").fetchall()}
    assert "2023/24 Q1" in periods and "2023/24 Q2" not in periods and "2023-07" not in periods
    t1 = con.execute(
        "SELECT value FROM ins_metric_values WHERE metric = 'fw_t1_n' AND period = '2023/24 Q1' "
        f"AND area_code = '{LONDON}' AND breakdown = 'none'"
    ).fetchone()
    assert t1 == ("0",)


def test_defaults_come_from_submissions_in_use() -> None:
    con = duckdb.connect()
    worked_example.load(con)
    con.execute("INSERT INTO main.submissions VALUES ('old', 'chain', 'chain_london', DATE '2010-01-01', "
                "DATE '2025-01-01', 'superseded')")  # fmt: skip
    resolved = resolve(con, Parameters())
    assert (resolved.history_start, resolved.as_at) == (worked_example.HISTORY_START, worked_example.AS_AT)


def test_refresh_leaves_no_working_tables() -> None:
    con = duckdb.connect()
    worked_example.load(con)
    refresh(con, Parameters(history_start=worked_example.HISTORY_START, as_at=worked_example.AS_AT))
    left = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall()
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal").fetchall()
    assert left == [(0,)] and views == [(0,)]
