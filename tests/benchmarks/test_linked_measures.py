"""The linked-measures benchmark's count of approaches with probable links (decision 0204), on a warehouse
small enough to work out by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from benchmarks.linked_measures import approached_by_period, approached_with_probable_links, truth_table

# (CHAIN id, first seen, true person)
CHAIN = [("c1", "2023-06-01", "P1"), ("c2", "2023-07-01", "P2"), ("c3", "2023-08-01", "P3"),
         ("c4", "2024-02-01", "P4")]
# (H-CLIC person, case, application date, true person)
HCLIC = [("h1", "k1", "2023-01-10", "P1"),   # c1's, linked to it
         ("h2", "k2", "2023-03-01", "P2"),   # c2's, not linked: scored 0.4
         ("h4", "k4", "2023-05-01", "P9"),   # a stranger's, scored 0.3 against c3
         ("h5", "k5", "2023-04-01", "P8"),   # a stranger's, scored 0.5 against c3 but not clustered with it
         ("h6", "k6", "2021-05-01", "P4")]   # c4's, too long before it was first seen: in no window
SCORED = [("chain:S:c2", "hclic:S:h2", 0.4), ("hclic:S:h4", "chain:S:c3", 0.3), ("chain:S:c3", "hclic:S:h5", 0.5),
          ("chain:S:c4", "hclic:S:h6", 0.45)]


@pytest.fixture
def warehouse(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE chain_contacts (supplier_code VARCHAR, chain_person_id VARCHAR, contact_date DATE)")
    con.execute("CREATE TABLE hclic_people (supplier_code VARCHAR, person_ref VARCHAR, case_ref VARCHAR)")
    con.execute("CREATE TABLE hclic_cases (supplier_code VARCHAR, case_ref VARCHAR, application_date DATE)")
    con.execute("CREATE TABLE person_link (source VARCHAR, supplier_code VARCHAR, record_key VARCHAR, "
                "person_id VARCHAR)")
    con.execute("CREATE TABLE linkage_scored_pairs (unique_id_l VARCHAR, unique_id_r VARCHAR, "
                "match_probability DOUBLE)")
    for key, first_seen, _ in CHAIN:
        con.execute("INSERT INTO chain_contacts VALUES ('S', ?, ?), ('S', ?, CAST(? AS DATE) + 30)",
                    [key, first_seen, key, first_seen])
        con.execute("INSERT INTO person_link VALUES ('chain', 'S', ?, ?)", [key, f"model-{key}"])
    for key, case, applied, _ in HCLIC:
        con.execute("INSERT INTO hclic_people VALUES ('S', ?, ?)", [key, case])
        con.execute("INSERT INTO hclic_cases VALUES ('S', ?, ?)", [case, applied])
        # The model put h1 in c1's person; every other H-CLIC record is a person of its own.
        con.execute("INSERT INTO person_link VALUES ('hclic', 'S', ?, ?)",
                    [key, "model-c1" if key == "h1" else f"model-{key}"])
    con.executemany("INSERT INTO linkage_scored_pairs VALUES (?, ?, ?)", SCORED)
    truth = tmp_path / "truth"
    truth.mkdir()
    rows = [f"chain,S,{k},{p}" for k, _, p in CHAIN] + [f"hclic,S,{k},{p}" for k, _, _, p in HCLIC]
    (truth / "person_records.csv").write_text("source,supplier_code,record_key,person_id\n" + "\n".join(rows) + "\n")
    truth_table(con, tmp_path)
    return con


def test_linked_applications_count_as_one_and_scored_ones_by_their_probability(warehouse):
    rows = {year: (on_truth, linked, probable)
            for year, on_truth, linked, probable in approached_with_probable_links(warehouse)}
    on_truth, linked, probable = rows[2023]
    assert (on_truth, linked) == (2, 1)  # c1 and c2 applied in the year before; only c1's link was made
    # c1: linked, 1; c2: 0.4; c3: 1 - (1 - 0.3)(1 - 0.5) = 0.65 (strangers' applications, the uncertainty)
    assert probable == pytest.approx(1 + 0.4 + 0.65)
    # c4's application was nearly three years before it was first seen: no window holds it.
    assert rows[2024] == (0, 0, pytest.approx(0.0))


def test_by_period_counts_the_insights_cohort_persons(warehouse):
    # The working tables the insights leave on a connection (compute): the cohort, its cases and their persons.
    warehouse.execute("CREATE TEMP TABLE ins_cases AS SELECT supplier_code, case_ref, application_date FROM hclic_cases")
    warehouse.execute("CREATE TEMP TABLE ins_case_persons AS SELECT DISTINCT l.person_id, p.supplier_code, p.case_ref "
                      "FROM hclic_people p JOIN person_link l ON l.source = 'hclic' AND l.record_key = p.person_ref")
    warehouse.execute("CREATE TEMP TABLE ins_new60 (period_type VARCHAR, period VARCHAR, person_id VARCHAR, f DATE)")
    warehouse.executemany("INSERT INTO ins_new60 VALUES ('financial_year', ?, ?, ?)",
                          [("2023/24", "model-c1", "2023-06-01"), ("2023/24", "model-c2", "2023-07-01"),
                           ("2023/24", "model-c3", "2023-08-01"), ("2023/24", "model-c4", "2024-02-01"),
                           # c2 again in a year whose window holds none of its applications
                           ("2025/26", "model-c2", "2025-07-01")])
    counted = approached_by_period(warehouse, 365)
    linked, probable = counted["2023/24"]
    assert linked == 1  # c1, through its linked case
    assert probable == pytest.approx(1 + 0.4 + 0.65)  # as above: c2 0.4, c3 1 - 0.7 * 0.5, c4 nothing in its window
    assert counted["2025/26"] == (0, pytest.approx(0.0))
