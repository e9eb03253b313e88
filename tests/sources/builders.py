"""Tiny hand-made valid submissions, one per source, written as a supplier would send them.

Tests start from these and break one thing at a time. Rows are dictionaries; a column left out of a
row is written empty.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

from boroughhub.sources.schema import MANIFEST_COLUMNS, tables_of

Rows = dict[str, list[dict[str, str]]]

PERIOD = {
    "extract_period_start": "2024-01-01",
    "extract_period_end": "2024-12-31",
    "extracted_on": "2025-01-05",
}
SUPPLIERS = {"chain": "chain_london", "inform": "provider-a", "hclic": "E09000033"}

_CHAIN: Rows = {
    "chain_people": [
        {
            "chain_person_id": "P1",
            "first_name": "Ann",
            "last_name": "Smith",
            "other_names": "Annie Smith|A Smith",
            "date_of_birth": "1980-05-04",
            "date_of_birth_estimated": "false",
            "ni_number": "AB123456C",
            "gender": "female",
            "nationality": "GBR",
            "ethnicity": "white_british",
            "immigration_status": "british_or_irish_citizen",
            "support_need_alcohol": "true",
            "support_needs_assessed_date": "2024-02-01",
            "history_prison": "false",
            "last_institution_type": "prison",
            "last_institution_left_date": "2023-12-01",
            "accommodation_before_first_seen": "private_rented",
        },
        {"chain_person_id": "P2", "first_name": "John", "date_of_birth": "5/6/1975", "gender": "male"},
        {"chain_person_id": "P3", "last_name": "Jones", "home_office_ref": "HO-1"},
    ],
    "chain_contacts": [
        {
            "contact_id": "C1",
            "chain_person_id": "P1",
            "contact_date": "2024-03-01",
            "area_code": "E09000033",
            "location_type": "street",
            "bedded_down": "true",
            "contact_type": "street_outreach",
            "team_code": "WM1",
        },
        {
            "contact_id": "C2",
            "chain_person_id": "P2",
            "contact_date": "10/04/2024",
            "area_code": "heathrow",
            "bedded_down": "N",
            "contact_type": "assessment_hub",
        },
        {
            "contact_id": "C3",
            "chain_person_id": "P1",
            "contact_date": "2024-03-02",
            "area_code": "E09000033",
            "bedded_down": "yes",
            "contact_type": "street_outreach",
            "team_code": "Team, with comma",
        },
    ],
    "chain_stays": [
        {
            "stay_id": "S1",
            "chain_person_id": "P1",
            "project_code": "H1",
            "project_type": "hostel",
            "area_code": "E09000033",
            "arrival_date": "2024-03-05",
            "departure_date": "2024-06-01",
            "departure_reason": "planned_move_on",
            "departure_destination": "private_rented_tenancy",
        },
        {"stay_id": "S2", "chain_person_id": "P2", "project_type": "hostel", "arrival_date": "2023-11-01"},
    ],
}

_INFORM: Rows = {
    "inform_clients": [
        {
            "inform_client_id": "IC1",
            "chain_person_id": "P1",
            "first_name": "Ann",
            "last_name": "Smith",
            "date_of_birth": "1980-05-04",
            "ni_number": "AB 12 34 56 C",
            "gender": "female",
        },
        {"inform_client_id": "IC2", "first_name": "Bob", "last_name": "Brown", "other_names": "Bobby Brown"},
    ],
    "inform_referrals": [
        {
            "referral_id": "R1",
            "inform_client_id": "IC1",
            "referral_date": "2024-02-01",
            "referrer_type": "outreach_team",
            "service_code": "SVC1",
            "service_type": "hostel",
            "decision": "accepted",
            "decision_date": "2024-02-10",
        },
        {
            "referral_id": "R2",
            "inform_client_id": "IC2",
            "referral_date": "2024-05-01",
            "referrer_type": "probation",
            "service_code": "SVC1",
            "service_type": "hostel",
            "decision": "pending",
        },
    ],
    "inform_stays": [
        {
            "stay_id": "IS1",
            "inform_client_id": "IC1",
            "referral_id": "R1",
            "service_code": "SVC1",
            "service_type": "hostel",
            "area_code": "E09000001",
            "move_in_date": "2024-02-15",
            "move_out_date": "2024-08-01",
            "move_out_reason": "planned_move_on",
            "move_on_destination": "housing_first",
        },
        {
            "stay_id": "IS2",
            "inform_client_id": "IC2",
            "service_code": "SVC1",
            "service_type": "hostel",
            "move_in_date": "2024-06-01",
        },
    ],
}

_HCLIC: Rows = {
    "hclic_cases": [
        {
            "case_ref": "K1",
            "application_date": "2024-01-10",
            "assessment_date": "2024-01-12",
            "initial_assessment": "threatened_prevention_duty",
            "s21_notice": "true",
            "reason_loss_of_home": "ast_end_arrears_budgeting",
            "accommodation_at_application": "prs_self_contained",
            "household_type": "single_adult",
            "support_needs_status": "one_or_more",
            "referral_source": "no_referral",
        },
        {
            "case_ref": "K2",
            "application_date": "2024-02-01",
            "initial_assessment": "homeless_relief_duty",
            "reason_loss_of_home": "ast_end_arrears_budgeting",
            "accommodation_at_application": "prs_hmo",
            "household_type": "couple_with_children",
            "support_needs_status": "none",
        },
        {
            "case_ref": "K3",
            "application_date": "2024-03-01",
            "initial_assessment": "not_homeless_no_duty",
            "household_type": "single_adult",
            "support_needs_status": "not_known",
        },
    ],
    "hclic_people": [
        {
            "person_ref": "H1",
            "case_ref": "K1",
            "relationship": "main_applicant",
            "first_name": "Ann",
            "last_name": "Smith",
            "date_of_birth": "1980-05-04",
            "employment_status": "full_time",
            "eligibility": "uk_national",
            "sexual_identification": "heterosexual",
            "gender": "female",
        },
        {
            "person_ref": "H2",
            "case_ref": "K2",
            "relationship": "main_applicant",
            "first_name": "Cy",
            "last_name": "Dee",
            "date_of_birth": "1990-01-01",
            "ni_number": "CE123456A",
        },
        {
            "person_ref": "H3",
            "case_ref": "K2",
            "relationship": "child",
            "first_name": "Di",
            "date_of_birth": "2015-07-07",
        },
        {
            "person_ref": "H4",
            "case_ref": "K3",
            "relationship": "main_applicant",
            "first_name": "Ed",
            "last_name": "Fox",
            "date_of_birth": "1970-03-03",
        },
    ],
    "hclic_support_needs": [
        {"case_ref": "K1", "support_need": "young_person_18_25"},
        {"case_ref": "K1", "support_need": "care_leaver_18_20"},
    ],
    "hclic_prevention": [
        {
            "case_ref": "K1",
            "prevention_start_date": "2024-01-12",
            "prevention_end_date": "2024-03-01",
            "prevention_end_reason": "homeless",
            "main_activity": "accommodation_secured_by_la",
        },
    ],
    "hclic_relief": [
        {
            "case_ref": "K1",
            "relief_start_date": "2024-03-01",
            "relief_end_date": "2024-04-26",
            "relief_end_reason": "elapsed_56_days",
        },
        {
            "case_ref": "K2",
            "relief_start_date": "2024-02-01",
            "relief_end_date": "2024-03-01",
            "relief_end_reason": "secured_accommodation_6_months",
            "accommodation_secured": "prs_self_contained",
        },
    ],
    "hclic_main_duty": [
        {
            "case_ref": "K1",
            "decision_date": "2024-05-01",
            "decision": "owed_main_duty",
            "priority_need": "dependent_children",
            "main_duty_end_date": "2024-10-01",
            "main_duty_end_reason": "part6_offer_accepted",
        },
    ],
    "hclic_temporary_accommodation": [
        {
            "placement_id": "T1",
            "case_ref": "K1",
            "placement_start_date": "2024-03-02",
            "ta_type": "hostel",
            "out_of_area": "false",
        },
    ],
}

VALID_ROWS: dict[str, Rows] = {"chain": _CHAIN, "inform": _INFORM, "hclic": _HCLIC}


def valid_rows(source: str) -> Rows:
    """A fresh copy of the valid rows of a source, to break in a test."""
    return copy.deepcopy(VALID_ROWS[source])


def write_csv(
    path: Path, columns: list[str] | tuple[str, ...], rows: list[dict[str, str]], *, encoding: str = "utf-8"
) -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])


def manifest_rows(source: str, rows: Rows, **overrides: str) -> list[dict[str, str]]:
    base = {
        "source": source,
        "supplier_code": SUPPLIERS[source],
        **PERIOD,
        "schema_version": "1.0",
        "encoding": "",
    }
    base.update(overrides)
    return [
        {**base, "file_name": t.file_name, "row_count": str(len(rows.get(t.name, [])))}
        for t in tables_of(source)
    ]


def write_submission(
    folder: Path,
    source: str,
    rows: Rows | None = None,
    *,
    file_encoding: str = "utf-8",
    **manifest_overrides: str,
) -> Path:
    """Write a submission folder: one CSV per table of the source plus manifest.csv."""
    rows = valid_rows(source) if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    for table in tables_of(source):
        write_csv(
            folder / table.file_name, table.column_names, rows.get(table.name, []), encoding=file_encoding
        )
    write_csv(folder / "manifest.csv", MANIFEST_COLUMNS, manifest_rows(source, rows, **manifest_overrides))
    return folder


def write_workbook(
    folder: Path,
    source: str,
    rows: Rows | None = None,
    *,
    name: str = "extract.xlsx",
    formulas: dict[str, dict[str, str]] | None = None,
    **manifest_overrides: str,
) -> Path:
    """Write a submission as one workbook (a sheet per file) plus manifest.csv.

    ``formulas`` maps a sheet to ``{cell: formula}`` written as formulas instead of values.
    """
    import xlsxwriter

    rows = valid_rows(source) if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(folder / name))
    for table in tables_of(source):
        sheet = workbook.add_worksheet(table.name)
        sheet.write_row(0, 0, table.column_names)
        for index, row in enumerate(rows.get(table.name, []), start=1):
            sheet.write_row(index, 0, [row.get(c, "") for c in table.column_names])
        for cell, formula in (formulas or {}).get(table.name, {}).items():
            sheet.write_formula(cell, formula)
    workbook.close()
    write_csv(folder / "manifest.csv", MANIFEST_COLUMNS, manifest_rows(source, rows, **manifest_overrides))
    return folder


def rewrite_manifest(folder: Path, source: str, rows: Rows, **overrides: str) -> None:
    write_csv(folder / "manifest.csv", MANIFEST_COLUMNS, manifest_rows(source, rows, **overrides))
