"""The agreement's cohort rules (``data_subjects.cohort_rules``) applied at upload: people outside the cohort
are never stored, with every row that refers to them, and the report counts them per rule and file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from boroughhub.agreements.cohort_rules import COHORT_RULES
from boroughhub.warehouse import COHORT_QUERIES, SubjectRules, Warehouse, submit_folder
from boroughhub.warehouse.submit import ACCEPTED, REJECTED
from tests.sources.builders import valid_rows, write_submission

TODAY = dt.date(2025, 6, 1)
KEY = "warehouse-test-key-0123456789abcdef"
CITED = "dsa-test version 3"


def permit() -> SimpleNamespace:
    stamp = SimpleNamespace(supplier="x", purpose="rough_sleeping_insight", agreement_id="dsa-test", version=3)
    return SimpleNamespace(decision="permit", obligations=SimpleNamespace(stamp=stamp))


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse.duckdb")


def upload(warehouse: Warehouse, folder: Path, cohort_rules: Any, **subjects: Any) -> Any:
    rules = SubjectRules.from_content({"children_included": True, **subjects, "cohort_rules": cohort_rules}, CITED)
    return submit_folder(folder, warehouse, lambda *_: permit(), KEY, today=TODAY, subject_rules=lambda _: rules)


def stored(warehouse: Warehouse, table: str, key: str) -> set[str]:
    return {r[0] for r in warehouse.fetchall(f"SELECT {key} FROM main.{table}")}


def test_the_warehouse_applies_exactly_the_agreements_vocabulary() -> None:
    words = {(code, dataset) for code, term in COHORT_RULES.items() for dataset in term.keeps}
    assert set(COHORT_QUERIES) == words


def test_hclic_cases_with_no_duty_and_household_members_are_left_out_rule_by_rule(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = valid_rows("hclic")  # K3 is not owed a duty (H4); H3 is a child of K2's household
    result = upload(warehouse, write_submission(tmp_path / "h", "hclic", rows), [
        {"dataset": "hclic", "rule": "owed_prevention_or_relief_duty"},
        {"dataset": "hclic", "rule": "main_applicants_only"},
        {"dataset": "chain", "rule": "seen_bedded_down"},  # another source's rule: not this upload's
    ])
    assert result.status == ACCEPTED, result.report.rows()
    assert [(x.rule, x.people, x.rows, x.rows_by_file) for x in result.left_out] == [
        ("cohort:owed_prevention_or_relief_duty", 1, 2, {"hclic_cases.csv": 1, "hclic_people.csv": 1}),
        ("cohort:main_applicants_only", 1, 1, {"hclic_people.csv": 1}),
    ]
    assert stored(warehouse, "hclic_cases", "case_ref") == {"K1", "K2"}
    assert stored(warehouse, "hclic_people", "person_ref") == {"H1", "H2"}
    assert warehouse.fetchall("SELECT count(*) FROM identity.hclic_people WHERE person_ref IN ('H3', 'H4')") == [(0,)]
    first, second = [n for n in result.report.notes if "left out" in n]
    assert first == ("1 person whose H-CLIC case was not owed a prevention or relief duty was left out, with 2 rows "
                     "(1 in hclic_cases.csv, 1 in hclic_people.csv): the agreement (dsa-test version 3) keeps hclic "
                     "to its cohort rule owed_prevention_or_relief_duty.")
    assert second.startswith("1 person other than the main applicant of their H-CLIC case was left out, with 1 row")
    loaded = sum(result.load.rows_loaded.values()) if result.load else 0
    assert loaded == sum(len(t) for t in rows.values()) - 3


def test_an_h_clic_case_closed_before_the_period_is_left_out_with_all_its_rows(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # From 15 March 2024: K1 is still in temporary accommodation; K2's relief ended on 1 March; K3 applied
    # on 1 March and had no duty.
    folder = write_submission(tmp_path / "h", "hclic", extract_period_start="2024-03-15")
    result = upload(warehouse, folder, [{"dataset": "hclic", "rule": "active_in_period"}])
    assert result.status == ACCEPTED, result.report.rows()
    (left,) = result.left_out
    assert (left.people, left.rows_by_file) == (3, {"hclic_cases.csv": 2, "hclic_people.csv": 3,
                                                    "hclic_relief.csv": 1})
    assert stored(warehouse, "hclic_cases", "case_ref") == {"K1"}


def test_chain_people_never_seen_bedded_down_are_left_out(warehouse: Warehouse, tmp_path: Path) -> None:
    result = upload(warehouse, write_submission(tmp_path / "c", "chain"),
                    [{"dataset": "chain", "rule": "seen_bedded_down"}])
    assert result.status == ACCEPTED, result.report.rows()
    (left,) = result.left_out  # P2's one contact was not bedded down; P3 has no contact at all
    assert (left.people, left.rows_by_file) == (2, {"chain_people.csv": 2, "chain_contacts.csv": 1,
                                                    "chain_stays.csv": 1})
    assert stored(warehouse, "chain_people", "chain_person_id") == {"P1"}
    assert stored(warehouse, "chain_contacts", "contact_id") == {"C1", "C3"}


def test_under_18_at_first_contact_is_not_the_same_as_under_18_at_the_end_of_the_period(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = valid_rows("chain")
    rows["chain_people"][0]["date_of_birth"] = "2006-06-01"  # 17 at first contact (1 March), 18 by December
    folder = write_submission(tmp_path / "c", "chain", rows)
    result = upload(warehouse, folder, [{"dataset": "chain", "rule": "adult_at_first_contact"}], min_age_years=18)
    assert result.status == ACCEPTED, result.report.rows()
    assert [(x.rule, x.people) for x in result.left_out] == [("cohort:adult_at_first_contact", 1)]
    assert "P1" not in stored(warehouse, "chain_people", "chain_person_id")


def test_inform_clients_without_a_stay_or_under_18_at_first_referral_are_left_out(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = valid_rows("inform")
    rows["inform_stays"] = [s for s in rows["inform_stays"] if s["inform_client_id"] != "IC2"]
    rows["inform_clients"][0]["date_of_birth"] = "2007-01-01"  # 17 at referral R1 (1 February 2024)
    result = upload(warehouse, write_submission(tmp_path / "i", "inform", rows), [
        {"dataset": "inform", "rule": "active_in_period"}, {"dataset": "inform", "rule": "adult_at_first_contact"}])
    assert result.status == ACCEPTED, result.report.rows()
    assert [(x.rule, x.people, x.rows_by_file) for x in result.left_out] == [
        ("cohort:active_in_period", 1, {"inform_clients.csv": 1, "inform_referrals.csv": 1}),
        ("cohort:adult_at_first_contact", 1, {"inform_clients.csv": 1, "inform_referrals.csv": 1,
                                              "inform_stays.csv": 1}),
    ]
    assert stored(warehouse, "inform_clients", "inform_client_id") == set()


@pytest.mark.parametrize("cohort_rules", [
    [{"dataset": "hclic", "rule": "seen_bedded_down"}],  # means nothing for H-CLIC
    [{"dataset": "hclic", "rule": "only_nice_people"}],  # not in the vocabulary
    ["main_applicants_only"],  # not an object: which dataset is unknown, so it may be this one's
    "main_applicants_only",  # not even a list
])
def test_a_rule_the_hub_cannot_apply_loads_nothing_and_says_which(
    warehouse: Warehouse, tmp_path: Path, cohort_rules: Any
) -> None:
    result = upload(warehouse, write_submission(tmp_path / "h", "hclic"), cohort_rules, min_age_years=18)
    assert result.status == REJECTED and result.load is None and result.left_out == []
    (issue,) = [i for i in result.report.issues if i.rule == "not_permitted"]
    assert issue.file == "manifest.csv" and "cannot apply" in issue.message and CITED in issue.message
    assert "data_subjects.cohort_rules" in issue.message  # what to correct
    assert not [n for n in result.report.notes if "left out" in n]  # nothing was left out: nothing loaded
    assert warehouse.table_counts()["main.hclic_people"] == 0


def test_no_cohort_rules_load_as_before(warehouse: Warehouse, tmp_path: Path) -> None:
    rules = SubjectRules.from_content({"children_included": True})
    assert rules.cohort == () and not rules.any
    result = submit_folder(write_submission(tmp_path / "h", "hclic"), warehouse, lambda *_: permit(), KEY,
                           today=TODAY, subject_rules=lambda _: rules)
    assert result.status == ACCEPTED and result.left_out == []
    assert warehouse.table_counts()["main.hclic_people"] == 4
