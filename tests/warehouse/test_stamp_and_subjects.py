"""The upload's obligations in the warehouse: the stamp on every stored row, and the agreement's
``data_subjects`` age rules applied before the load (agreements spec §3.6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from boroughhub.sources import PERSON_TABLES, tables_of
from boroughhub.warehouse import SubjectRules, Warehouse, submit_folder
from boroughhub.warehouse.submit import ACCEPTED
from tests.sources.builders import valid_rows, write_submission

TODAY = dt.date(2025, 6, 1)
KEY = "warehouse-test-key-0123456789abcdef"


def permit_with_stamp(agreement_id: str = "dsa-test", version: int = 3) -> SimpleNamespace:
    stamp = SimpleNamespace(supplier="westminster", purpose="rough_sleeping_insight", agreement_id=agreement_id,
                            version=version)
    return SimpleNamespace(decision="permit", obligations=SimpleNamespace(stamp=stamp))


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse.duckdb")


def _every_stored_table(source: str) -> list[str]:
    names = [f"main.{t.name}" for t in tables_of(source)]
    return names + [f"identity.{t.name}" for t in tables_of(source) if t.name in PERSON_TABLES]


def test_every_stored_row_carries_the_permits_stamp(warehouse: Warehouse, tmp_path: Path) -> None:
    result = submit_folder(write_submission(tmp_path / "chain", "chain"), warehouse,
                           lambda *_: permit_with_stamp(), KEY, today=TODAY)
    assert result.status == ACCEPTED, result.report.rows()
    for name in _every_stored_table("chain"):
        stamps = warehouse.fetchall(
            f"SELECT DISTINCT supplier_code, stamp_purpose, stamp_agreement_id, stamp_agreement_version FROM {name}")
        assert stamps == [("chain_london", "rough_sleeping_insight", "dsa-test", 3)], name
    # A new version under another agreement version: history keeps the stamp each row was stored under.
    again = valid_rows("chain")
    again["chain_contacts"].pop()
    result = submit_folder(write_submission(tmp_path / "chain2", "chain", again), warehouse,
                           lambda *_: permit_with_stamp(version=4), KEY, today=TODAY)
    assert result.status == ACCEPTED
    assert warehouse.fetchall("SELECT DISTINCT stamp_agreement_version FROM history.chain_contacts") == [(3,)]
    assert warehouse.fetchall("SELECT DISTINCT stamp_agreement_version FROM main.chain_contacts") == [(4,)]


def test_a_stamp_that_is_incomplete_loads_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    broken = permit_with_stamp()
    broken.obligations.stamp.version = None
    with pytest.raises(ValueError, match="stamp"):
        submit_folder(write_submission(tmp_path / "chain", "chain"), warehouse, lambda *_: broken, KEY, today=TODAY)
    assert warehouse.table_counts()["main.chain_people"] == 0


def test_people_under_the_minimum_age_are_left_out_with_the_rows_that_refer_to_them(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = valid_rows("inform")
    clients = rows["inform_clients"]
    # The extract period ends on 31 December 2024: one client is 18 the next day, one on the day itself.
    clients[0]["date_of_birth"] = "2007-01-01"
    clients[1]["date_of_birth"] = "2006-12-31"
    young = clients[0]["inform_client_id"]
    referring = {name: sum(1 for r in table if r.get("inform_client_id") == young) for name, table in rows.items()}
    folder = write_submission(tmp_path / "inform", "inform", rows)
    rules = SubjectRules.from_content({"min_age_years": 18, "children_included": False}, "dsa-test version 3")
    result = submit_folder(folder, warehouse, lambda *_: permit_with_stamp(), KEY, today=TODAY,
                           subject_rules=lambda decision: rules)
    assert result.status == ACCEPTED, result.report.rows()
    (left,) = result.left_out
    assert left.rule == "min_age_years" and left.people == 1
    assert left.rows_by_file["inform_clients.csv"] == 1
    assert left.rows_by_file.get("inform_referrals.csv", 0) == referring["inform_referrals"]
    assert left.rows == sum(left.rows_by_file.values()) >= 1 + referring["inform_referrals"]
    ids = {r[0] for r in warehouse.fetchall("SELECT inform_client_id FROM main.inform_clients")}
    assert young not in ids and clients[1]["inform_client_id"] in ids
    assert warehouse.fetchall("SELECT count(*) FROM identity.inform_clients WHERE inform_client_id = ?",
                              [young]) == [(0,)]
    assert warehouse.fetchall("SELECT count(*) FROM main.inform_referrals WHERE inform_client_id = ?",
                              [young]) == [(0,)]
    (note,) = [n for n in result.report.notes if "left out" in n]
    assert note.startswith("1 person under 18 on 31 December 2024 (the end of the extract period) was left out")
    assert "dsa-test version 3" in note and "inform_clients.csv" in note
    # Nothing else changed: every other row of the submission is loaded.
    loaded = sum(result.load.rows_loaded.values()) if result.load else 0
    assert loaded == sum(len(t) for t in rows.values()) - left.rows


def test_children_excluded_means_18_or_over_and_a_maximum_age_is_a_rule_of_its_own(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    assert SubjectRules.from_content({"children_included": False}).min_age_years == 18
    assert not SubjectRules.from_content({"children_included": True}).any
    rows = valid_rows("hclic")  # H3, a child born 2015; H4 born 1970
    rules = SubjectRules.from_content({"children_included": False, "max_age_years": 50})
    result = submit_folder(write_submission(tmp_path / "hclic", "hclic", rows), warehouse,
                           lambda *_: permit_with_stamp(), KEY, today=TODAY, subject_rules=lambda _: rules)
    assert result.status == ACCEPTED, result.report.rows()
    assert {(x.rule, x.people) for x in result.left_out} == {("min_age_years", 1), ("max_age_years", 1)}
    kept = {r[0] for r in warehouse.fetchall("SELECT person_ref FROM main.hclic_people")}
    assert kept == {"H1", "H2"}
    # The cases stay: they do not refer to a person, and other members of the household are in scope.
    assert warehouse.fetchall("SELECT count(*) FROM main.hclic_cases")[0][0] == len(rows["hclic_cases"])


def test_no_rules_no_change(warehouse: Warehouse, tmp_path: Path) -> None:
    result = submit_folder(write_submission(tmp_path / "hclic", "hclic"), warehouse, lambda *_: True, KEY,
                           today=TODAY, subject_rules=lambda _: None)
    assert result.left_out == [] and warehouse.table_counts()["main.hclic_people"] == 4


def test_a_warehouse_made_before_stamps_gains_the_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE main.chain_contacts (contact_id VARCHAR, supplier_code VARCHAR, submission_id VARCHAR)")
    con.execute("INSERT INTO main.chain_contacts VALUES ('C1', 'chain_london', 's1')")
    con.close()
    with Warehouse(path) as warehouse:
        assert warehouse.fetchall("SELECT contact_id, stamp_purpose, stamp_agreement_version "
                                  "FROM main.chain_contacts") == [("C1", None, None)]
