"""Profile figures of CHAIN's reports (issue 15, item 3) on the seeded synthetic London: needs in combination
and institutional history as breakdowns of ``chain_total``, checked against the breakdowns they must agree
with, then under disclosure control."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from boroughhub.insights.contract import load_generated
from boroughhub.insights.disclosure import publish
from boroughhub.insights.metrics import LONDON, Parameters, refresh
from boroughhub.insights.output import INSTITUTION_HISTORY, SUPPORT_NEED_COMBINATIONS
from boroughhub.insights.pages import FIRST_ACCOMMODATION, PROFILE_FIGURES, figure_table, index_rows
from boroughhub.synthetic.generate import generate


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    out = tmp_path_factory.mktemp("seeded")
    generate(out, areas="pilot", scale=0.03, seed=11)
    con = duckdb.connect()
    load_generated(con, Path(out))
    refresh(con, Parameters())
    yield con
    con.close()


def _counts(con: duckdb.DuckDBPyConnection, breakdown: str) -> dict[tuple[str, str], dict[str, int]]:
    """(period, area) → breakdown value → unrounded count of ``chain_total``."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for period, area, value, n in con.execute(
        "SELECT period, area_code, breakdown_value, value FROM main.metric_values "
        "WHERE metric = 'chain_total' AND measure = 'count' AND breakdown = ?", [breakdown]).fetchall():
        out.setdefault((period, area), {})[value] = int(n)
    return out


def test_combinations_partition_everyone_seen_and_agree_with_each_need(seeded: duckdb.DuckDBPyConnection) -> None:
    totals = {key: by[""] for key, by in _counts(seeded, "none").items()}
    combos, needs, any_of = (_counts(seeded, b) for b in ("support_need_combination", "support_need", "support_need_any"))
    assert combos.keys() == totals.keys() and len(totals) > 20
    for key, by in combos.items():
        assert set(by) == set(SUPPORT_NEED_COMBINATIONS)
        assert sum(by.values()) == totals[key], key  # a partition of the people seen
        for need in ("alcohol", "drugs", "mental_health"):
            assert sum(n for combo, n in by.items() if need in combo.split("+")) == needs[key][need], (key, need)
        assert by["not_assessed"] == any_of[key]["not_assessed"]
        assert by["none_of_alcohol_drugs_mental_health"] == any_of[key]["none_of_alcohol_drugs_mental_health"]
    london = sum(by["alcohol+drugs+mental_health"] for (_p, area), by in combos.items() if area == LONDON)
    assert london > 0  # people with all three needs occur: the combination is not empty by construction


def test_institution_history_counts_people_with_each_institution(seeded: duckdb.DuckDBPyConnection) -> None:
    totals = {key: by[""] for key, by in _counts(seeded, "none").items()}
    history = _counts(seeded, "institution_history")
    assert history.keys() == totals.keys()
    for key, by in history.items():
        assert set(by) == set(INSTITUTION_HISTORY)
        assert all(0 <= n <= totals[key] for n in by.values())
    assert sum(by["prison"] for (_p, area), by in history.items() if area == LONDON) > 0


def test_profile_figures_are_disclosure_controlled_like_every_other(seeded: duckdb.DuckDBPyConnection) -> None:
    columns = [c[0] for c in seeded.execute("SELECT * FROM main.metric_values LIMIT 0").description]
    rows = [dict(zip(columns, (str(v) for v in r), strict=True)) for r in seeded.execute(
        "SELECT * FROM main.metric_values WHERE period = '2023/24' AND metric IN ('chain_total', 'lk_pathways')"
    ).fetchall()]
    camden = [r for r in publish(rows, unrounded=False, min_cell_size=10) if r["area_code"] == "E09000007"]
    profile = [r for r in camden if r["breakdown"] in ("support_need_combination", "institution_history")]
    assert profile and not [r for r in profile if r["value"].isdigit() and 1 <= int(r["value"]) <= 9]
    assert not [r for r in profile if r["value"] == "0"]  # R7: no "nobody in Camden has ..." (0 is [c])
    assert [r for r in profile if r["value"] == "[c]"]
    index = index_rows(camden)
    for figure in (*PROFILE_FIGURES, FIRST_ACCOMMODATION):
        table = figure_table(figure, index)
        assert table.rows and len(table.columns) >= 3, figure.id
        assert all(cell == "[c]" or cell.isdigit() for _p, cells in table.rows for cell in cells), figure.id
