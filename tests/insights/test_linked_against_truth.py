"""The whole pipeline on a small synthetic London: every metric on linked ids against the same metric on
the generator's true ids. Differences are reported; headline cohort counts must agree within 2%, and every
other London count of 50 or more within 5% (issue 13), except where a known gap is written down.
``benchmarks/linked_measures.py`` runs the same comparison on all London (benchmarks/RESULTS.md)."""

from __future__ import annotations

import duckdb
import pytest
from benchmarks.linked_measures import HEADLINE, compare, counts

from boroughhub.insights.contract import load_generated
from boroughhub.insights.metrics import Parameters, refresh
from boroughhub.linkage.link import link_persons
from boroughhub.synthetic import generate

pytestmark = pytest.mark.slow
# Linked measures known to miss the 5% here and by how much they may: people who approached a council before
# they first slept rough are linked from a CHAIN record (often without a date of birth) to an H-CLIC
# application months earlier, with only a name and the area to go on (docs/decisions/0190; here 7.7% after
# decisions 201 and 202: London 2024/25, 60 linked against 65; at all London, decision 202, −6.1% to −7.6% in
# financial years: benchmarks/RESULTS.md, "Insights on linked ids against the truth").
KNOWN_GAPS = {"lk_prev_approached": 0.10}


def test_metrics_on_linked_ids_agree_with_metrics_on_true_ids(tmp_path):
    generate(tmp_path / "extracts", areas="pilot", scale=0.1, seed=11)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    load_generated(con, tmp_path / "extracts")  # person_link = the generator's truth
    refresh(con, Parameters())
    on_truth = counts(con)

    link_persons(con, mode="full")  # person_link = the model's clusters
    refresh(con, Parameters())
    compared = compare(on_truth, counts(con), KNOWN_GAPS)

    differing = sorted((c for c in compared if c.linked != c.truth), key=lambda c: -c.off)
    print(f"{len(differing)} of {len(compared)} London counts of 50 or more differ")
    for c in differing[:15]:
        print(f"  {c.key}: truth {c.truth:g}, linked {c.linked:g}")

    headline = [c for c in compared if c.key[0] in HEADLINE]
    assert headline, "the synthetic set should have headline cohorts"
    assert len(compared) - len(headline) > 100, "the synthetic set should have linked measures of some size"
    outside = [f"{c.key}: linked {c.linked:g} vs truth {c.truth:g} (allowed {c.allowed:.0%})"
               for c in compared if not c.within]
    assert not outside, "\n".join(outside)
