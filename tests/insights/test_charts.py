"""Charts of published values: SVG renders, tables keep markers, summaries read plainly."""

from __future__ import annotations

import duckdb

from boroughhub.insights.charts import cohort_bars, headline_trend, pathway_flow, trend_summary
from boroughhub.insights.disclosure import publish
from boroughhub.insights.metrics import LONDON


def _rows(con: duckdb.DuckDBPyConnection, where: str) -> list[dict[str, str]]:
    cursor = con.execute(f"SELECT * FROM main.metric_values WHERE {where}")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def test_headline_trend_renders_svg_with_table_and_summary(worked: duckdb.DuckDBPyConnection) -> None:
    rows = publish(_rows(worked, "metric = 'chain_total'"), unrounded=False)
    chart = headline_trend(rows, "chain_total", LONDON, "financial_year", "People seen sleeping rough")
    assert [r["period"] for r in chart.table][-2:] == ["2022/23", "2023/24"]
    assert chart.table[-1]["value"] == "10"
    assert chart.svg().startswith("<svg")
    assert chart.summary.startswith("People seen sleeping rough: 10 in 2023/24")


def test_trend_summary_words() -> None:
    table = [{"period": "2022/23", "value": "10050"}, {"period": "2023/24", "value": "11990"}]
    assert trend_summary(table, "Seen") == "Seen: 11,990 in 2023/24, up 1,940 (19.3%) on 2022/23."
    assert trend_summary([{"period": "2023/24", "value": "[c]"}], "Seen") == (
        "Seen: no figure can be shown for any period."
    )


def test_cohort_bars_and_pathways_unrounded(worked: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(worked, "metric IN ('chain_flow', 'chain_stock', 'chain_returner', 'lk_pathways')")
    bars = cohort_bars(rows, LONDON, "Flow, stock and returners")
    assert {"period": "2023/24", "group": "New (flow)", "value": "2"} in bars.table
    assert bars.summary.startswith("In 2023/24: 2 new, 3 stock and 4 returners")
    assert "<svg" in bars.svg()
    flow = pathway_flow(rows, "2022/23", LONDON, "Pathways of people new in 2022/23")
    assert len(flow.table) == 8
    assert flow.summary.startswith("Of 3 people shown as first seen sleeping rough, 2 went into accommodation")
    assert "<svg" in flow.svg()
