"""Quality counts on a real (in-memory) warehouse, and the comparison with the previous period."""

from __future__ import annotations

import pytest

from boroughhub.submissions.cycle.quality import compare, count_quality, quality_sql, warnings_by_rule
from boroughhub.warehouse.warehouse import Warehouse


@pytest.fixture
def warehouse():
    with Warehouse(":memory:") as store:
        store.ensure_schema()
        yield store


def add_person(warehouse, submission_id: str, key: str, ni: str | None, born: str | None) -> None:
    warehouse.fetchall(
        "INSERT INTO identity.hclic_people (supplier_code, person_ref, ni_number, date_of_birth, submission_id)"
        " VALUES ('E09000007', ?, ?, ?, ?)", [key, ni, born, submission_id])


def test_counts_only_the_submission_and_only_numbers(warehouse):
    add_person(warehouse, "s1", "1", "QQ123456C", "1980-01-01")
    add_person(warehouse, "s1", "2", None, None)
    add_person(warehouse, "s1", "3", " ", "1990-05-04")
    add_person(warehouse, "s1", "4", "QQ654321C", "1975-01-01")
    add_person(warehouse, "s2", "5", None, None)
    counts = count_quality(warehouse, "hclic", "s1")
    assert counts == {"people": 4, "missing_ni_number": 2, "missing_date_of_birth": 1, "born_1_january": 2}
    assert all(isinstance(v, int) for v in counts.values())
    assert count_quality(warehouse, "hclic", "nothing") == {
        "people": 0, "missing_ni_number": 0, "missing_date_of_birth": 0, "born_1_january": 0}
    assert count_quality(warehouse, "unknown", "s1") == {}
    assert "identity.chain_people" in quality_sql("chain") and "identity.inform_clients" in quality_sql("inform")


def test_compare_gives_shares_and_changes_in_percentage_points():
    before = compare(100, {"people": 50, "missing_ni_number": 5, "missing_date_of_birth": 0, "born_1_january": 2},
                     {"dob_first_january": 2}, None)
    assert before.rows_change is None and [s.percent for s in before.shares] == [10.0, 0.0, 4.0]
    assert [s.change for s in before.shares] == [None, None, None]
    now = compare(120, {"people": 40, "missing_ni_number": 8, "missing_date_of_birth": 1, "born_1_january": 2},
                  {}, before)
    assert now.rows_change == 20 and [s.percent for s in now.shares] == [20.0, 2.5, 5.0]
    assert [s.change for s in now.shares] == [10.0, 2.5, 1.0]
    unrecorded = compare(10, {}, {}, now)
    assert unrecorded.people is None and [s.percent for s in unrecorded.shares] == [None, None, None]


def test_warnings_are_added_up_by_rule_across_files():
    summary = {"files": [{"warnings": {"b_rule": 2, "a_rule": 1}}, {"warnings": {"a_rule": 4}}, {"warnings": {}}]}
    assert warnings_by_rule(summary) == {"a_rule": 5, "b_rule": 2}
    assert warnings_by_rule({}) == {}
