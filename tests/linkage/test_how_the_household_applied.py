"""How an H-CLIC household applied, as evidence for a CHAIN record; CHAIN records joined only through others."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from boroughhub.linkage.cluster import cluster_persons
from boroughhub.linkage.model_settings import settings_for_dialect
from boroughhub.linkage.one_register import register_records_joined_through_others
from tests.linkage.warehouse_records import empty_warehouse, standardised_records


def _standardised_records() -> dict[str, dict[str, object]]:
    con = empty_warehouse()
    con.execute("INSERT INTO identity.chain_people (supplier_code, chain_person_id, first_name, last_name) "
                "VALUES ('chain_london', 'C1', 'Dean', 'Walsh')")
    con.execute("INSERT INTO identity.inform_clients (supplier_code, inform_client_id, first_name, last_name) "
                "VALUES ('provider-a', 'I1', 'Dean', 'Walsh')")
    people = [("P1", "HC1", "Dean"), ("P2", "HC2", "Dean"), ("P3", "HC3", "Dean"), ("P4", "HC3", "Kim"),
              ("P5", "HC4", "Dean")]
    con.executemany("INSERT INTO identity.hclic_people (supplier_code, person_ref, first_name, last_name) "
                    "VALUES ('E09000022', ?, ?, 'Walsh')", [(p, name) for p, _, name in people])
    con.executemany("INSERT INTO main.hclic_people (supplier_code, person_ref, case_ref) VALUES ('E09000022', ?, ?)",
                    [(p, case) for p, case, _ in people])
    con.executemany(
        "INSERT INTO main.hclic_cases (supplier_code, case_ref, application_date, accommodation_at_application, "
        "household_type) VALUES ('E09000022', ?, DATE '2024-05-10', ?, ?)",
        [("HC1", "rough_sleeping", "single_adult"),  # sleeping rough when they applied: "street" either way
         ("HC2", "living_with_friends", "single_adult"),
         ("HC3", "prs_self_contained", "couple_without_children"),
         ("HC4", None, "not_known")])
    return standardised_records(con)


def test_each_hclic_record_says_how_its_household_applied() -> None:
    records = _standardised_records()
    applied = {uid: r["application"] for uid, r in records.items()}
    assert applied == {
        "chain:chain_london:C1": None, "inform:provider-a:I1": None,
        "hclic:E09000022:P1": "street", "hclic:E09000022:P2": "alone",
        "hclic:E09000022:P3": "with_others", "hclic:E09000022:P4": "with_others",
        "hclic:E09000022:P5": None,
    }


def _level(records: dict[str, dict[str, object]], left: str, right: str) -> str:
    """The label of the application comparison's level the pair falls into, as Splink picks it."""
    con = duckdb.connect()
    con.execute("CREATE TABLE pair (source_l VARCHAR, source_r VARCHAR, application_l VARCHAR, application_r VARCHAR)")
    con.execute("INSERT INTO pair VALUES (?, ?, ?, ?)", [records[left]["source"], records[right]["source"],
                                                         records[left]["application"], records[right]["application"]])
    settings = settings_for_dialect({"application"}, "duckdb")
    levels = next(c for c in settings["comparisons"] if c["output_column_name"] == "application")["comparison_levels"]
    for level in levels:
        if level["sql_condition"] == "ELSE" or con.execute(f"SELECT {level['sql_condition']} FROM pair").fetchone() == (
                True,):
            return str(level["label_for_charts"])
    raise AssertionError("no level matched")


def test_the_application_counts_only_for_a_chain_or_inform_record_against_an_hclic_record() -> None:
    records = _standardised_records()
    chain = "chain:chain_london:C1"
    assert _level(records, chain, "hclic:E09000022:P1") == "applied from the street"
    assert _level(records, "hclic:E09000022:P2", chain) == "applied as a single adult"
    assert _level(records, chain, "hclic:E09000022:P3") == "applied with others"
    assert _level(records, "inform:provider-a:I1", "hclic:E09000022:P1") == "applied from the street"
    # No evidence either way: the case does not say, or the pair is not a CHAIN or InForm record and an
    # H-CLIC one.
    not_applicable = "not a CHAIN or InForm record and an H-CLIC record"
    assert _level(records, chain, "hclic:E09000022:P5") == not_applicable
    assert _level(records, chain, "inform:provider-a:I1") == not_applicable
    assert _level(records, "hclic:E09000022:P1", "hclic:E09000022:P2") == not_applicable


def test_a_learnt_model_cannot_rule_out_people_met_by_outreach_who_applied_with_others() -> None:
    settings = settings_for_dialect({"application"}, "duckdb")
    levels = next(c for c in settings["comparisons"] if c["output_column_name"] == "application")["comparison_levels"]
    with_others = next(level for level in levels if level.get("label_for_charts") == "applied with others")
    assert with_others["fix_m_probability"] is True and with_others["m_probability"] > 0


def _pairs(*scored: tuple[str, str, float]) -> pa.Table:
    left, right, probability = zip(*scored, strict=True)
    return pa.table({"unique_id_l": list(left), "unique_id_r": list(right), "match_probability": list(probability)})


def test_two_chain_records_joined_only_through_an_hclic_record_are_two_people() -> None:
    # Two Dean Walshes on CHAIN, without dates of birth, each linked to the one who applied to Lambeth.
    records = pa.table({"unique_id": ["chain:c:1", "chain:c:2", "hclic:h:1"], "source": ["chain", "chain", "hclic"]})
    pairs = _pairs(("chain:c:1", "hclic:h:1", 0.9), ("chain:c:2", "hclic:h:1", 0.6), ("chain:c:1", "chain:c:2", 0.3))
    clusters = cluster_persons(records, pairs, 0.5)
    assert clusters["chain:c:1"] == clusters["hclic:h:1"] != clusters["chain:c:2"]


def test_chain_duplicates_linked_pair_by_pair_stay_one_person() -> None:
    ids = ["chain:c:1", "chain:c:2", "chain:c:3", "hclic:h:1"]
    sources = ["chain", "chain", "chain", "hclic"]
    # 1-2 and 2-3 are duplicates CHAIN missed; 1-3 alone would not have been linked.
    pairs = _pairs(("chain:c:1", "chain:c:2", 0.95), ("chain:c:2", "chain:c:3", 0.8), ("chain:c:1", "chain:c:3", 0.4),
                   ("chain:c:3", "hclic:h:1", 0.7))
    one = dict.fromkeys(ids, "chain:c:1")
    assert register_records_joined_through_others(ids, sources, pairs, 0.5, one) == []
    clusters = cluster_persons(pa.table({"unique_id": ids, "source": sources}), pairs, 0.5)
    assert len(set(clusters.values())) == 1


def test_a_clerical_same_person_decision_joins_two_chain_records() -> None:
    records = pa.table({"unique_id": ["chain:c:1", "chain:c:2", "hclic:h:1"], "source": ["chain", "chain", "hclic"]})
    pairs = _pairs(("chain:c:1", "hclic:h:1", 0.9), ("chain:c:2", "hclic:h:1", 0.6))
    clusters = cluster_persons(records, pairs, 0.5, same=[("chain:c:1", "chain:c:2")])
    assert len(set(clusters.values())) == 1
