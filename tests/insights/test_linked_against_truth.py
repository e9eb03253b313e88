"""The whole pipeline on a small synthetic London: every metric on linked ids against the same metric on
the generator's true ids. Differences are reported; headline cohort counts must agree within 2%, and every
other London count of 50 or more within 5% (issue 13), except where a known gap is written down."""

from __future__ import annotations

import duckdb
import pytest

from boroughhub.insights.contract import load_generated
from boroughhub.insights.metrics import LONDON, Parameters, refresh
from boroughhub.linkage.link import link_persons
from boroughhub.synthetic import generate

pytestmark = pytest.mark.slow
HEADLINE = ("chain_total", "chain_flow", "chain_stock", "chain_returner")
# Linked measures known to miss the 5% and by how much they may: people who approached a council before
# they first slept rough are linked from a CHAIN record (often without a date of birth) to an H-CLIC
# application months earlier, with only a name and the area to go on (docs/decisions/0190; measured 7.7%
# after decision 201: London 2024/25, 60 linked against 65).
KNOWN_GAPS = {"lk_prev_approached": 0.10}


def counts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str, str], float]:
    rows = con.execute(
        "SELECT metric, variant, period, area_code, value FROM main.metric_values "
        "WHERE breakdown = 'none' AND measure = 'count'"
    ).fetchall()
    return {(m, v, p, a): float(x) for m, v, p, a, x in rows if x not in ("[x]", "[z]", "[c]")}


def test_metrics_on_linked_ids_agree_with_metrics_on_true_ids(tmp_path):
    generate(tmp_path / "extracts", areas="pilot", scale=0.1, seed=11)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    load_generated(con, tmp_path / "extracts")  # person_link = the generator's truth
    refresh(con, Parameters())
    on_truth = counts(con)

    link_persons(con, mode="full")  # person_link = the model's clusters
    refresh(con, Parameters())
    on_links = counts(con)

    differences = {
        key: (truth, on_links.get(key, 0.0)) for key, truth in on_truth.items() if on_links.get(key, 0.0) != truth
    }
    compared = sum(1 for key in on_truth if key[3] == LONDON)
    print(f"{len(differences)} of {len(on_truth)} count rows differ ({compared} London rows compared)")
    for key, (truth, linked) in sorted(differences.items(), key=lambda kv: -abs(kv[1][0] - kv[1][1]))[:15]:
        print(f"  {key}: truth {truth:g}, linked {linked:g}")

    headline = [key for key in on_truth if key[0] in HEADLINE and key[3] == LONDON and on_truth[key] >= 50]
    assert headline, "the synthetic set should have headline cohorts"
    for key in headline:
        truth, linked = on_truth[key], on_links.get(key, 0.0)
        assert abs(linked - truth) <= 0.02 * truth, f"{key}: linked {linked:g} vs truth {truth:g}"

    every = [key for key in on_truth if key[3] == LONDON and on_truth[key] >= 50 and key[0] not in HEADLINE]
    assert len(every) > 100, "the synthetic set should have linked measures of some size"
    for key in every:
        truth, linked = on_truth[key], on_links.get(key, 0.0)
        allowed = KNOWN_GAPS.get(key[0], 0.05)
        assert abs(linked - truth) <= allowed * truth, f"{key}: linked {linked:g} vs truth {truth:g}"
