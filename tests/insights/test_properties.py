"""Properties of the metrics on a small seeded synthetic London (boroughhub.synthetic), linkage = truth."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from boroughhub.insights.contract import load_generated
from boroughhub.insights.metrics import LONDON, Parameters, refresh
from boroughhub.synthetic.generate import generate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    out = tmp_path_factory.mktemp("synthetic")
    generate(out, areas="pilot", scale=0.03, seed=11)
    con = duckdb.connect()
    load_generated(con, Path(out))
    refresh(con, Parameters())
    con.execute("""
        CREATE TEMP TABLE counts AS
        SELECT metric, variant, period_type, period, area_code, breakdown, breakdown_value, CAST(value AS BIGINT) AS n
        FROM main.metric_values WHERE measure = 'count' AND value NOT LIKE '[%'
    """)
    yield con
    con.close()


def _pivot(metrics: list[str]) -> str:
    cols = ", ".join(f"max(n) FILTER (WHERE metric = '{m}') AS {m}" for m in metrics)
    return f"SELECT period, area_code, breakdown, breakdown_value, variant, {cols} FROM counts GROUP BY ALL"


def test_run_has_rows(synthetic: duckdb.DuckDBPyConnection) -> None:
    n = synthetic.execute("SELECT count(*) FROM counts WHERE metric = 'chain_total' AND n > 0").fetchone()
    assert n is not None and n[0] > 0


def test_flow_stock_returner_add_up_in_every_row(synthetic: duckdb.DuckDBPyConnection) -> None:
    bad = synthetic.execute(f"""
        SELECT * FROM ({_pivot(['chain_total', 'chain_flow', 'chain_stock', 'chain_returner'])})
        WHERE chain_total IS NOT NULL AND chain_total <> chain_flow + chain_stock + chain_returner""").fetchall()
    assert bad == []


def test_quarterly_identity_in_every_row(synthetic: duckdb.DuckDBPyConnection) -> None:
    metrics = ["chain_q_total", "chain_q_new", "chain_q_lots", "chain_q_intermittent", "chain_q_new_lots",
               "chain_q_new_one_night", "chain_q_new_multi_not_lots"]  # fmt: skip
    bad = synthetic.execute(f"""
        SELECT * FROM ({_pivot(metrics)}) WHERE chain_q_total IS NOT NULL AND (
          chain_q_total <> chain_q_new + chain_q_lots + chain_q_intermittent - chain_q_new_lots
          OR chain_q_new <> chain_q_new_one_night + chain_q_new_multi_not_lots + chain_q_new_lots)""").fetchall()
    assert bad == []


def test_partition_breakdowns_add_up_to_none(synthetic: duckdb.DuckDBPyConnection) -> None:
    bad = synthetic.execute("""
        SELECT t.metric, t.variant, t.period_type, t.period, t.area_code, b.breakdown, t.n, sum(b.n)
        FROM counts t JOIN counts b USING (metric, variant, period_type, period, area_code)
        WHERE t.breakdown = 'none' AND b.breakdown IN ('age_band', 'gender', 'nationality_group', 'support_need_any')
        GROUP BY ALL HAVING t.n <> sum(b.n)""").fetchall()
    assert bad == []


def test_london_at_most_sum_of_areas_and_at_least_each(synthetic: duckdb.DuckDBPyConnection) -> None:
    bad = synthetic.execute(f"""
        SELECT l.metric, l.variant, l.period_type, l.period, l.breakdown, l.breakdown_value, l.n, sum(a.n), max(a.n)
        FROM counts l JOIN counts a USING (metric, variant, period_type, period, breakdown, breakdown_value)
        WHERE l.area_code = '{LONDON}' AND a.area_code <> '{LONDON}' AND l.metric <> 'lk_pathways'
        GROUP BY ALL HAVING l.n > sum(a.n) OR l.n < max(a.n)""").fetchall()
    assert bad == []


def test_framework_partition_p1_nr1_continuing(synthetic: duckdb.DuckDBPyConnection) -> None:
    bad = synthetic.execute(f"""
        SELECT * FROM ({_pivot(['fw_r1', 'fw_p1', 'fw_nr1', 'fw_b1', 'fw_p2'])})
        WHERE area_code = '{LONDON}' AND (fw_p1 + fw_nr1 > fw_r1 OR fw_b1 > fw_r1 OR fw_p2 > fw_r1)""").fetchall()
    assert bad == []


def test_pathways_conserve_persons(synthetic: duckdb.DuckDBPyConnection) -> None:
    rows = synthetic.execute("""
        SELECT period, area_code, breakdown_value, n FROM counts WHERE metric = 'lk_pathways'""").fetchall()
    assert rows, "expected complete follow-up for some periods"
    flows: dict[tuple[str, str], dict[str, list[int]]] = {}
    for period, area, transition, n in rows:
        source, target = transition.split(">")
        block = flows.setdefault((period, area), {})
        block.setdefault(source, [0, 0])[1] += n  # out of source
        block.setdefault(target, [0, 0])[0] += n  # into target
    cohort = dict(((p, a), n) for p, a, n in synthetic.execute(
        "SELECT period, area_code, n FROM counts WHERE metric = 'lk_prev_cohort' AND breakdown = 'none'").fetchall())
    for key, block in flows.items():
        assert block["0:street_first_seen"][1] == cohort[key]
        for node, (into, out) in block.items():
            stage = int(node.split(":")[0])
            if stage in (1,):
                assert into == out, (key, node)
            if stage == 2 and out:
                assert into == out, (key, node)


def test_brief_and_nonrec_buckets(synthetic: duckdb.DuckDBPyConnection) -> None:
    bad = synthetic.execute(f"""
        SELECT * FROM ({_pivot(['lk_brief_n', 'lk_brief_within_30', 'lk_brief_within_90', 'lk_brief_within_365',
                                'lk_nonrec_n', 'lk_nonrec_return_0_180', 'lk_nonrec_return_181_365',
                                'lk_nonrec_return_366_730', 'lk_nonrec_return_total'])})
        WHERE lk_brief_within_30 > lk_brief_within_90 OR lk_brief_within_90 > lk_brief_within_365
           OR lk_brief_within_365 > lk_brief_n
           OR lk_nonrec_return_total <> lk_nonrec_return_0_180 + lk_nonrec_return_181_365 + lk_nonrec_return_366_730
           OR lk_nonrec_return_total > lk_nonrec_n""").fetchall()
    assert bad == []
