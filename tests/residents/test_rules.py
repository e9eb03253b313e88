"""The resident view's plain rules, the ASC CLD checks and the synthetic residents (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from boroughhub.residents.rules import (
    Involvement,
    flags_for,
    fold_name,
    has_relationship,
    in_cohort,
    minimum_age,
    parse_date_of_birth,
)
from boroughhub.residents.vocabulary import CURRENT, NONE_KNOWN, PAST, SERVICES
from boroughhub.sources import ASC_CLD_COLUMNS as COLUMNS
from boroughhub.sources import open_asc_cases as open_cases
from boroughhub.sources import validate_asc_cld
from boroughhub.synthetic import build_residents

TODAY = date(2026, 12, 7)


def case(n: int, source: str, supplier: str, team: str, start: date, end: date | None = None) -> Involvement:
    return Involvement(n, "R1", source, supplier, team, start, end)


def test_relationship_needs_an_open_case_of_the_workers_own_team_in_its_own_source() -> None:
    open_case = case(1, "asc_cld", "lambeth", "LAM-ASC-NORTH", date(2026, 1, 1))
    assert has_relationship([open_case], "lambeth", {"LAM-ASC-NORTH"}, TODAY)
    assert not has_relationship([open_case], "lambeth", {"LAM-ASC-SOUTH"}, TODAY)
    assert not has_relationship([open_case], "westminster", {"LAM-ASC-NORTH"}, TODAY)
    closed = case(2, "asc_cld", "lambeth", "LAM-ASC-NORTH", date(2025, 1, 1), date(2026, 12, 6))
    assert not has_relationship([closed], "lambeth", {"LAM-ASC-NORTH"}, TODAY)
    future = case(3, "asc_cld", "lambeth", "LAM-ASC-NORTH", date(2026, 12, 8))
    assert not has_relationship([future], "lambeth", {"LAM-ASC-NORTH"}, TODAY)


def test_flags_say_current_past_or_no_record_found_never_not_involved() -> None:
    shown = flags_for([case(1, "hclic", "westminster", "H", date(2026, 1, 1)),
                       case(2, "chain", "gla", "C", date(2024, 1, 1), date(2025, 1, 1))], TODAY)
    statuses = {f.source: f.status for f in shown}
    assert statuses == {"asc_cld": NONE_KNOWN, "hclic": CURRENT, "chain": PAST, "inform": NONE_KNOWN}
    assert [f.source for f in shown] == list(SERVICES)
    assert NONE_KNOWN == "No record found in the sources shared with the hub"
    assert all("not involved" not in f.status.lower() for f in shown)


def test_age_rule_is_the_strictest_of_the_permitting_agreements() -> None:
    assert minimum_age([{"data_subjects": {"min_age_years": 18}}, {"data_subjects": {}}]) == 18
    assert minimum_age([]) == 0
    assert in_cohort(date(2008, 12, 7), TODAY, 18)
    assert not in_cohort(date(2008, 12, 8), TODAY, 18)


def test_names_fold_and_dates_say_how_to_write_them() -> None:
    assert fold_name("O'Brién-Smith ") == "OBRIENSMITH"
    assert parse_date_of_birth("1961-06-14") == date(1961, 6, 14)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date_of_birth("14/06/1961")


def test_the_synthetic_asc_submission_validates_and_gives_the_cases() -> None:
    world = build_residents(TODAY, seed=3, count=300)
    assert build_residents(TODAY, seed=3, count=300).involvements == world.involvements
    for rows in world.asc_events.values():
        assert validate_asc_cld(rows, COLUMNS).passed
    cases = open_cases(world.asc_events["lambeth"])
    amara = next(k for k, r in world.truth.items() if r == "R-DEMO-0001" and k.startswith("asc_cld:lambeth:"))
    assert any(c.person_id == world.source_people[amara].local_id and c.end is None for c in cases)
    # Each source's own ids: no ASC person id is a resident (truth) id.
    assert not {c.person_id for c in cases} & {r.resident_id for r in world.residents}
    people_in_asc = {i.resident_id for i in world.involvements if i.source == "asc_cld"}
    people_in_housing = {i.resident_id for i in world.involvements if i.source == "hclic"}
    # The same residents appear across services, but neither source holds everyone.
    assert people_in_asc & people_in_housing
    assert people_in_asc - people_in_housing and people_in_housing - people_in_asc


def test_asc_cld_validation_names_row_column_and_rule() -> None:
    good = build_residents(TODAY, seed=3, count=50).asc_events["lambeth"][0]
    bad = {**good, "event_type": "visit", "event_start": "2026-13-01", "event_id": good["event_id"]}
    report = validate_asc_cld([good, bad], COLUMNS)
    assert not report.passed
    found = {(i.line, i.column, i.rule) for i in report.issues}
    assert {(3, "event_type", "bad_code"), (3, "event_start", "bad_date"), (3, "event_id", "duplicate_key")} <= found
    missing = validate_asc_cld([], [c for c in COLUMNS if c != "primary_support_reason"])
    assert [(i.rule, i.column) for i in missing.issues] == [("header_missing_column", "primary_support_reason")]


def test_residents_are_the_people_the_hub_already_generated(tmp_path) -> None:
    """With the synthetic generator's truth files, residents are its people, their housing, outreach and hostel
    records become involvements with the supplier's organisation, and some adults get adult social care too."""
    truth = tmp_path / "truth"
    truth.mkdir()
    people = ["person_id,kind,first_name,last_name,date_of_birth"] + [
        f"P{n:08d},street,Ann,Smith{n},{1950 + n % 40}-01-0{1 + n % 9}" for n in range(200)]
    (truth / "persons.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    records = ["source,supplier_code,table,record_key,person_id"] + [
        f"hclic,E09000033,hclic_people,W{n},P{n:08d}" for n in range(0, 200, 2)] + [
        f"chain,chain_london,chain_people,C{n},P{n:08d}" for n in range(0, 200, 3)]
    (truth / "person_records.csv").write_text("\n".join(records) + "\n", encoding="utf-8")
    world = build_residents(TODAY, seed=5, truth=truth)
    ids = {r.resident_id for r in world.residents}
    assert {f"P{n:08d}" for n in range(0, 200, 2)} <= ids
    assert f"P{1:08d}" not in ids  # in no source: not a resident of any service
    housing = {(i.resident_id, i.supplier) for i in world.involvements if i.source == "hclic"}
    assert ("P00000002", "westminster") in housing
    assert any(i.resident_id == "P00000003" and i.supplier == "gla" for i in world.involvements if i.source == "chain")
    assert {i.resident_id for i in world.involvements if i.source == "asc_cld"} & ids - {"R-DEMO-0001", "R-DEMO-0003"}
