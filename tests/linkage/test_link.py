"""Full and incremental linkage on an in-memory warehouse, stable ids, and review decisions."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from boroughhub.linkage.accuracy import measure
from boroughhub.linkage.fixtures import generate_records, load_into_warehouse, truth
from boroughhub.linkage.link import link_persons
from boroughhub.linkage.link_tables import load_model
from boroughhub.linkage.report import training_report_html
from boroughhub.linkage.review import open_review_pairs, record_decision
from boroughhub.linkage.train import TrainedModel, settings_with_parameters

from .conftest import NOW


def _links(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT source, supplier_code, record_key, person_id FROM person_link").fetchall()
    return {f"{s}:{c}:{k}": p for s, c, k, p in rows}


def test_full_link_writes_one_row_per_record_and_finds_people(
    warehouse: duckdb.DuckDBPyConnection, population: dict[str, pa.Table]
) -> None:
    run = link_persons(warehouse, now=NOW)
    links = _links(warehouse)
    expected = truth(population)
    assert set(links) == set(expected) and run.records == len(expected)
    accuracy = measure(links, expected)
    assert accuracy.precision > 0.97 and accuracy.recall > 0.85, accuracy
    assert all(pid.startswith("P") and len(pid) == 17 for pid in links.values())
    assert warehouse.execute("SELECT count(*) FROM linkage_person_link_history").fetchone() == (len(expected),)
    assert warehouse.execute("SELECT mode, model_version FROM linkage_run").fetchall() == [("full", 1)]


def test_full_relink_keeps_person_ids(warehouse: duckdb.DuckDBPyConnection) -> None:
    link_persons(warehouse, now=NOW)
    first = _links(warehouse)
    link_persons(warehouse, now=datetime(2026, 7, 1))
    assert _links(warehouse) == first


def test_incremental_link_adds_new_records_to_existing_people(
    warehouse: duckdb.DuckDBPyConnection, population: dict[str, pa.Table]
) -> None:
    link_persons(warehouse, now=NOW)
    before = _links(warehouse)
    # A new InForm extract: every existing row plus one more record of an existing CHAIN person.
    chain = population["chain_people"].to_pylist()[0]
    inform = population["inform_clients"].to_pylist()
    new_row = {**inform[0], **{k: chain[k] for k in ("first_name", "last_name", "date_of_birth", "gender", "person")}}
    new_row.update(inform_client_id="I_NEW_1", supplier_code="provider-a", ni_number=None, chain_person_id=None)
    grown = dict(population, inform_clients=pa.Table.from_pylist([*inform, new_row]))
    load_into_warehouse(warehouse, grown)
    run = link_persons(warehouse, mode="incremental", now=datetime(2026, 7, 1))
    after = _links(warehouse)
    assert run.new_records == 1 and run.mode == "incremental"
    assert {k: after[k] for k in before} == before
    assert after["inform:provider-a:I_NEW_1"] == before[f"chain:chain_london:{chain['chain_person_id']}"]
    # A full relink over the grown extract keeps the ids too.
    link_persons(warehouse, now=datetime(2026, 8, 1))
    assert _links(warehouse) == after


def test_review_decisions_survive_relinks(warehouse: duckdb.DuckDBPyConnection) -> None:
    link_persons(warehouse, now=NOW)
    links = _links(warehouse)
    by_person: dict[str, list[str]] = {}
    for uid, pid in sorted(links.items()):
        by_person.setdefault(pid, []).append(uid)
    a, b = next(members for members in by_person.values() if len(members) == 2)
    loner_1, loner_2 = [m[0] for m in by_person.values() if len(m) == 1][:2]
    record_decision(warehouse, a, b, "not_same", "reviewer@hub", NOW)
    record_decision(warehouse, loner_1, loner_2, "same", "reviewer@hub", NOW)
    for when in (datetime(2026, 7, 1), datetime(2026, 8, 1)):
        link_persons(warehouse, now=when)
        relinked = _links(warehouse)
        assert relinked[a] != relinked[b]
        assert relinked[loner_1] == relinked[loner_2]
    assert (a, b) not in {(x, y) for x, y, _ in open_review_pairs(warehouse)}


def test_uncertain_pairs_are_queued(warehouse: duckdb.DuckDBPyConnection) -> None:
    run = link_persons(warehouse, now=NOW)
    queued = open_review_pairs(warehouse)
    assert run.review_pairs_queued == len(queued)
    assert all(0.2 <= p < 0.8 for _, _, p in queued)


def test_model_is_versioned_and_portable(warehouse: duckdb.DuckDBPyConnection, trained_model: TrainedModel) -> None:
    stored = load_model(warehouse)
    assert stored is not None and stored.version == 1 and stored.model.model == trained_model.model
    spark_settings = settings_with_parameters(stored.model, "spark")
    duckdb_settings = settings_with_parameters(stored.model, "duckdb")
    for spark_c, duck_c in zip(spark_settings["comparisons"], duckdb_settings["comparisons"], strict=True):
        assert [lv.get("m_probability") for lv in spark_c["comparison_levels"]] == [
            lv.get("m_probability") for lv in duck_c["comparison_levels"]
        ]


def test_training_report_renders_charts_offline(trained_model: TrainedModel) -> None:
    report = training_report_html(trained_model, 1, NOW)
    assert report.count("<svg") >= 2
    assert "http://" not in report.split("<svg", 1)[0] and "cdn" not in report.lower()


@pytest.mark.slow
def test_retraining_stores_a_new_version() -> None:
    con = duckdb.connect()
    load_into_warehouse(con, generate_records(300, 11))
    link_persons(con, now=NOW)
    link_persons(con, retrain=True, now=datetime(2026, 7, 1))
    assert [r[0] for r in con.execute("SELECT version FROM linkage_model ORDER BY 1").fetchall()] == [1, 2]


@pytest.mark.slow
def test_a_model_stored_before_the_comparisons_changed_is_retrained_not_an_error() -> None:
    import json

    con = duckdb.connect()
    load_into_warehouse(con, generate_records(300, 11))
    link_persons(con, now=NOW)
    stored = load_model(con)
    assert stored is not None
    old = json.loads(json.dumps(stored.model.model))
    dob = next(c for c in old["comparisons"] if c["output_column_name"] == "dob")
    dob["comparison_levels"].pop(-2)  # as if trained when date of birth had one level fewer
    con.execute("UPDATE linkage_model SET model_json = ? WHERE version = 1", [json.dumps(old)])
    steps: list[str] = []
    link_persons(con, now=datetime(2026, 7, 1), progress=steps.append)
    assert [r[0] for r in con.execute("SELECT version FROM linkage_model ORDER BY 1").fetchall()] == [1, 2]
    assert any("trained on earlier comparisons" in step for step in steps)
