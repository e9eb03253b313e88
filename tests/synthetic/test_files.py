"""A generated set passes the rules of sources.md: columns, types, codes, keys, dates, manifest."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from boroughhub.reference import code_list, codes
from tests.synthetic.reading import Submission, read_csv, submissions
from tests.synthetic.spec import FOREIGN_KEYS, PRIMARY_KEYS, SOURCE_TABLES, TABLES

KEY = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NI = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
CONTACT_AREAS = {r["code"] for r in code_list("areas") if r["contact_allowed"] == "true"}
LOCAL_AUTHORITIES = {r["code"] for r in code_list("areas") if r["area_type"] == "local_authority"}


def _type_error(kind: str, value: str) -> str | None:
    if kind == "key" and not KEY.match(value):
        return "bad_key"
    if kind == "text" and (len(value) > 100 or any(ord(c) < 32 or ord(c) == 127 for c in value)):
        return "bad_text"
    if kind == "name_list" and any(not part or len(part) > 100 for part in value.split("|")):
        return "bad_text"
    if kind == "date":
        if not ISO_DATE.match(value):
            return "bad_date"
        try:
            if not 1900 <= date.fromisoformat(value).year <= 2100:
                return "bad_date"
        except ValueError:
            return "bad_date"
    if kind == "boolean" and value not in ("true", "false"):
        return "bad_boolean"
    if kind == "ni_number" and (not NI.match(value) or value[:2] in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}):
        return "bad_ni_number"
    return None


def _check_columns_and_values(sub: Submission) -> list[str]:
    errors = []
    for table in SOURCE_TABLES[sub.source]:
        spec = TABLES[table]
        if sorted(sub.headers[table]) != sorted(name for name, *_ in spec):
            errors.append(f"{sub.folder}/{table}: header {sub.headers[table]}")
            continue
        for line, row in enumerate(sub.tables[table], start=2):
            for name, kind, required, listed in spec:
                value = row[name]
                if value != value.strip():
                    errors.append(f"{table}:{line} {name} has surrounding spaces")
                if not value:
                    if required == "yes":
                        errors.append(f"{table}:{line} {name} required_missing")
                    continue
                problem = _type_error(kind, value)
                if problem is None and listed is not None and value not in codes(listed):
                    problem = "bad_code"
                if problem:
                    errors.append(f"{table}:{line} {name}={value!r} {problem}")
    return errors


def _check_keys(sub: Submission) -> list[str]:
    errors = []
    for table in SOURCE_TABLES[sub.source]:
        keys = Counter(tuple(row[c] for c in PRIMARY_KEYS[table]) for row in sub.tables[table])
        errors += [f"{table}: duplicate key {key}" for key, n in keys.items() if n > 1]
    for child, column, parent, parent_column in FOREIGN_KEYS:
        if child in sub.tables:
            parents = {row[parent_column] for row in sub.tables[parent]}
            errors += [f"{child}: orphan {row[column]}" for row in sub.tables[child] if row[column] not in parents]
    return errors


def _check_dates_in_period(sub: Submission) -> list[str]:
    errors = []
    end = sub.end.isoformat()
    for table in SOURCE_TABLES[sub.source]:
        date_columns = [name for name, kind, *_ in TABLES[table] if kind == "date"]
        for row in sub.tables[table]:
            errors += [f"{table}: {c}={row[c]} after the extract end" for c in date_columns if row[c] > end]
    return errors


def test_every_supplier_and_source_has_a_submission(out_dir: Path) -> None:
    found = {(s.supplier, s.source) for s in submissions(out_dir)}
    expected = {("chain_london", "chain"), ("provider-a", "inform"), ("provider-b", "inform")}
    expected |= {(council, "hclic") for council in ("E09000007", "E09000017", "E09000022", "E09000033")}
    assert found == expected


def test_columns_types_and_codes_follow_sources_md(out_dir: Path) -> None:
    errors = [e for sub in submissions(out_dir) for e in _check_columns_and_values(sub)]
    assert errors == [], errors[:20]


def test_keys_are_unique_and_foreign_keys_resolve(out_dir: Path) -> None:
    errors = [e for sub in submissions(out_dir) for e in _check_keys(sub)]
    assert errors == [], errors[:20]


def test_no_date_after_the_extract_end(out_dir: Path) -> None:
    errors = [e for sub in submissions(out_dir) for e in _check_dates_in_period(sub)]
    assert errors == [], errors[:20]


def test_manifest_describes_the_files(out_dir: Path) -> None:
    suppliers = {row["code"]: row["sources"].split("|") for row in code_list("suppliers")}
    for sub in submissions(out_dir):
        raw = (sub.folder / "manifest.csv").read_bytes()
        assert raw.isascii()
        assert sorted(r["file_name"] for r in sub.manifest) == sorted(f"{t}.csv" for t in SOURCE_TABLES[sub.source])
        for row in sub.manifest:
            assert row["source"] == sub.source and row["supplier_code"] == sub.supplier
            assert sub.source in suppliers[sub.supplier]
            assert row["schema_version"] == "1.0"
            assert row["extract_period_start"] <= row["extract_period_end"] <= row["extracted_on"]
            assert int(row["row_count"]) == len(sub.tables[row["file_name"].removesuffix(".csv")])
        submission_level = {tuple(v for k, v in r.items() if k not in ("file_name", "row_count")) for r in sub.manifest}
        assert len(submission_level) == 1


def test_files_are_utf8_with_lf_line_endings(out_dir: Path) -> None:
    for path in out_dir.glob("*/*/*.csv"):
        data = path.read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, path


@pytest.fixture(scope="module")
def chain(out_dir: Path) -> Submission:
    return next(s for s in submissions(out_dir) if s.source == "chain")


def test_chain_rules(chain: Submission) -> None:
    outreach = {r["code"] for r in code_list("chain_contact_type") if r["outreach"] == "true"}
    start, end = chain.start.isoformat(), chain.end.isoformat()
    first_event: dict[str, str] = {}
    for row in chain.tables["chain_contacts"]:
        assert row["area_code"] in CONTACT_AREAS
        assert start <= row["contact_date"] <= end
        assert row["bedded_down"] == "false" or row["contact_type"] in outreach
        pid = row["chain_person_id"]
        first_event[pid] = min(first_event.get(pid, "9999"), row["contact_date"])
    for row in chain.tables["chain_stays"]:
        assert row["area_code"] in LOCAL_AUTHORITIES
        assert row["arrival_date"] <= end
        if row["departure_date"]:
            assert row["departure_date"] >= row["arrival_date"] and row["departure_reason"]
        else:
            assert not row["departure_reason"] and not row["departure_destination"]
    needs = ("support_need_alcohol", "support_need_drugs", "support_need_mental_health", "support_need_physical_health")
    for row in chain.tables["chain_people"]:
        assert bool(row["date_of_birth_estimated"]) <= bool(row["date_of_birth"])
        assert bool(row["support_needs_assessed_date"]) == any(row[n] for n in needs)
        assert bool(row["last_institution_left_date"]) == bool(row["last_institution_type"])
        if row["date_of_birth"] and row["chain_person_id"] in first_event:
            assert row["date_of_birth"] <= first_event[row["chain_person_id"]]
        for dated in ("support_needs_assessed_date", "last_institution_left_date"):
            assert not row[dated] or not row["date_of_birth"] or row[dated] >= row["date_of_birth"]
    bedded = sum(r["bedded_down"] == "true" for r in chain.tables["chain_contacts"])
    assert 0.6 < bedded / len(chain.tables["chain_contacts"]) < 0.95  # most contacts bedded down, not all


def test_inform_rules(out_dir: Path) -> None:
    for sub in (s for s in submissions(out_dir) if s.source == "inform"):
        referrals = {r["referral_id"]: r for r in sub.tables["inform_referrals"]}
        for row in referrals.values():
            assert (row["decision"] == "pending") == (row["decision_date"] == "")
            assert not row["decision_date"] or row["decision_date"] >= row["referral_date"]
        for row in sub.tables["inform_stays"]:
            assert row["area_code"] in LOCAL_AUTHORITIES
            if row["referral_id"]:
                referral = referrals[row["referral_id"]]
                assert referral["inform_client_id"] == row["inform_client_id"]
                assert row["move_in_date"] >= referral["referral_date"]
            if row["move_out_date"]:
                assert row["move_out_date"] >= row["move_in_date"] and row["move_out_reason"]
            else:
                assert not row["move_out_reason"] and not row["move_on_destination"]


def test_inform_and_hclic_identifier_rules(out_dir: Path) -> None:
    for sub in submissions(out_dir):
        if sub.source == "inform":
            assert all(r["first_name"] and r["last_name"] for r in sub.tables["inform_clients"])
        if sub.source == "hclic":
            mains = Counter(r["case_ref"] for r in sub.tables["hclic_people"] if r["relationship"] == "main_applicant")
            assert set(mains.values()) == {1} and len(mains) == len(sub.tables["hclic_cases"])
            applied = {r["case_ref"]: date.fromisoformat(r["application_date"]) for r in sub.tables["hclic_cases"]}
            for row in sub.tables["hclic_people"]:
                if row["relationship"] == "main_applicant":
                    assert row["first_name"] and row["last_name"] and row["date_of_birth"]
                    born, on = date.fromisoformat(row["date_of_birth"]), applied[row["case_ref"]]
                    assert on.year - born.year - ((on.month, on.day) < (born.month, born.day)) >= 16
                else:
                    assert not (row["employment_status"] or row["eligibility"] or row["sexual_identification"])
                    assert not row["date_of_birth"] or row["date_of_birth"] <= applied[row["case_ref"]].isoformat()


def test_hclic_follows_the_duty_sequence(out_dir: Path) -> None:
    prevention_activity = {r["code"] for r in code_list("hclic_activity") if r["prevention"] == "true"}
    relief_activity = {r["code"] for r in code_list("hclic_activity") if r["relief"] == "true"}
    for sub in (s for s in submissions(out_dir) if s.source == "hclic"):
        cases = {r["case_ref"]: r for r in sub.tables["hclic_cases"]}
        prevention = {r["case_ref"]: r for r in sub.tables["hclic_prevention"]}
        relief = {r["case_ref"]: r for r in sub.tables["hclic_relief"]}
        needs = Counter(r["case_ref"] for r in sub.tables["hclic_support_needs"])
        for ref, case in cases.items():
            duty = case["initial_assessment"]
            assert not case["assessment_date"] or case["assessment_date"] >= case["application_date"]
            assert case["s21_notice"] != "true" or duty == "threatened_prevention_duty"
            if duty != "not_homeless_no_duty":
                assert case["reason_loss_of_home"] and case["accommodation_at_application"]
            assert (needs[ref] > 0) == (case["support_needs_status"] == "one_or_more")
        for ref, row in prevention.items():
            assert cases[ref]["initial_assessment"] == "threatened_prevention_duty"
            assert row["prevention_start_date"] >= cases[ref]["application_date"]
            _check_stage(row, "prevention", {"secured_accommodation_stayed", "secured_accommodation_moved"})
            assert not row["main_activity"] or row["main_activity"] in prevention_activity
        for ref, row in relief.items():
            assert cases[ref]["initial_assessment"] == "homeless_relief_duty" or prevention[ref][
                "prevention_end_reason"] in ("homeless", "refused_suitable_offer", "refused_to_cooperate")
            assert row["relief_start_date"] >= cases[ref]["application_date"]
            assert ref not in prevention or row["relief_start_date"] >= prevention[ref]["prevention_start_date"]
            _check_stage(row, "relief", {"secured_accommodation_6_months"})
            assert not row["main_activity"] or row["main_activity"] in relief_activity
        for row in sub.tables["hclic_main_duty"]:
            assert relief[row["case_ref"]]["relief_end_reason"] == "elapsed_56_days"
            assert row["decision_date"] >= relief[row["case_ref"]]["relief_start_date"]
            needs_priority = row["decision"] in ("owed_main_duty", "priority_need_intentionally_homeless")
            assert bool(row["priority_need"]) == needs_priority
            assert not row["main_duty_end_date"] or (
                row["decision"] == "owed_main_duty" and row["main_duty_end_date"] >= row["decision_date"])
            assert bool(row["main_duty_end_reason"]) == bool(row["main_duty_end_date"])
        for row in sub.tables["hclic_temporary_accommodation"]:
            assert row["placement_start_date"] >= cases[row["case_ref"]]["application_date"]
            assert not row["placement_end_date"] or row["placement_end_date"] >= row["placement_start_date"]


def _check_stage(row: dict[str, str], stage: str, secured: set[str]) -> None:
    end, reason = row[f"{stage}_end_date"], row[f"{stage}_end_reason"]
    assert bool(end) == bool(reason)
    assert not end or end >= row[f"{stage}_start_date"]
    assert bool(row["accommodation_secured"]) == (reason in secured)


def test_truth_covers_every_person_record_once(out_dir: Path) -> None:
    _, records = read_csv(out_dir / "truth" / "person_records.csv")
    _, persons = read_csv(out_dir / "truth" / "persons.csv")
    person_ids = {p["person_id"] for p in persons}
    assert len(person_ids) == len(persons)
    seen = Counter((r["source"], r["supplier_code"], r["table"], r["record_key"]) for r in records)
    assert set(seen.values()) == {1}
    expected = set()
    person_tables = {"chain": ("chain_people", "chain_person_id"), "inform": ("inform_clients", "inform_client_id"),
                     "hclic": ("hclic_people", "person_ref")}
    for sub in submissions(out_dir):
        table, key = person_tables[sub.source]
        expected |= {(sub.source, sub.supplier, table, row[key]) for row in sub.tables[table]}
    assert set(seen) == expected
    assert {r["person_id"] for r in records} <= person_ids
