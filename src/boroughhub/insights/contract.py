"""The warehouse tables the metrics read (the data contract with ``boroughhub.warehouse``), as DDL.

The warehouse builds these tables itself; this module exists so that tests and the benchmark can build
the same shape in an in-memory DuckDB, from the worked example or from a generated extract set.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

_TYPES = {"D": "DATE", "B": "BOOLEAN", "I": "INTEGER", "V": "VARCHAR"}

# Canonical columns (sources.md) without the direct identifiers, typed by one letter; key columns first.
MAIN_TABLES: dict[str, dict[str, str]] = {
    "chain_people": {
        "chain_person_id": "V", "date_of_birth_estimated": "B", "gender": "V", "nationality": "V",
        "ethnicity": "V", "immigration_status": "V", "support_need_alcohol": "B", "support_need_drugs": "B",
        "support_need_mental_health": "B", "support_need_physical_health": "B",
        "support_needs_assessed_date": "D", "history_prison": "B", "history_care": "B",
        "history_armed_forces": "B", "last_institution_type": "V", "last_institution_left_date": "D",
        "accommodation_before_first_seen": "V",
    },
    "chain_contacts": {
        "contact_id": "V", "chain_person_id": "V", "contact_date": "D", "area_code": "V", "location_type": "V",
        "bedded_down": "B", "contact_type": "V", "team_code": "V",
    },
    "chain_stays": {
        "stay_id": "V", "chain_person_id": "V", "project_code": "V", "project_type": "V", "area_code": "V",
        "arrival_date": "D", "departure_date": "D", "departure_reason": "V", "departure_destination": "V",
    },
    "inform_clients": {
        "inform_client_id": "V", "chain_person_id": "V", "gender": "V", "nationality": "V", "ethnicity": "V",
    },
    "inform_referrals": {
        "referral_id": "V", "inform_client_id": "V", "referral_date": "D", "referrer_type": "V",
        "service_code": "V", "service_type": "V", "decision": "V", "decision_date": "D",
    },
    "inform_stays": {
        "stay_id": "V", "inform_client_id": "V", "referral_id": "V", "service_code": "V", "service_type": "V",
        "area_code": "V", "move_in_date": "D", "move_out_date": "D", "move_out_reason": "V",
        "move_on_destination": "V",
    },
    "hclic_cases": {
        "case_ref": "V", "application_date": "D", "assessment_date": "D", "initial_assessment": "V",
        "s21_notice": "B", "reason_loss_of_home": "V", "accommodation_at_application": "V",
        "household_type": "V", "support_needs_status": "V", "referral_source": "V",
    },
    "hclic_people": {
        "person_ref": "V", "case_ref": "V", "relationship": "V", "gender": "V", "ethnicity": "V",
        "nationality": "V", "employment_status": "V", "eligibility": "V", "sexual_identification": "V",
    },
    "hclic_support_needs": {"case_ref": "V", "support_need": "V"},
    "hclic_prevention": {
        "case_ref": "V", "prevention_start_date": "D", "prevention_end_date": "D", "prevention_end_reason": "V",
        "accommodation_secured": "V", "main_activity": "V",
    },
    "hclic_relief": {
        "case_ref": "V", "relief_start_date": "D", "relief_end_date": "D", "relief_end_reason": "V",
        "accommodation_secured": "V", "main_activity": "V",
    },
    "hclic_main_duty": {
        "case_ref": "V", "decision_date": "D", "decision": "V", "priority_need": "V", "main_duty_end_date": "D",
        "main_duty_end_reason": "V",
    },
    "hclic_temporary_accommodation": {
        "placement_id": "V", "case_ref": "V", "placement_start_date": "D", "placement_end_date": "D",
        "ta_type": "V", "out_of_area": "B",
    },
}  # fmt: skip

IDENTITY_TABLES: dict[str, dict[str, str]] = {
    "chain_people": {"chain_person_id": "V", "first_name": "V", "last_name": "V", "other_names": "V",
                     "date_of_birth": "D", "ni_number": "V", "home_office_ref": "V"},
    "inform_clients": {"inform_client_id": "V", "first_name": "V", "last_name": "V", "other_names": "V",
                       "date_of_birth": "D", "ni_number": "V"},
    "hclic_people": {"person_ref": "V", "first_name": "V", "last_name": "V", "date_of_birth": "D",
                     "ni_number": "V"},
}  # fmt: skip

SOURCE_OF_TABLE = {t: t.split("_", 1)[0] for t in MAIN_TABLES}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the empty contract tables: ``main.*``, ``identity.*``, ``person_link`` and ``submissions``."""
    con.execute("CREATE SCHEMA IF NOT EXISTS identity")
    for schema, tables in (("main", MAIN_TABLES), ("identity", IDENTITY_TABLES)):
        for table, columns in tables.items():
            cols = ", ".join(f"{name} {_TYPES[kind]}" for name, kind in columns.items())
            extra = ", submission_id VARCHAR" if schema == "main" else ""
            con.execute(f"CREATE OR REPLACE TABLE {schema}.{table} (supplier_code VARCHAR, {cols}{extra})")
    con.execute(
        "CREATE OR REPLACE TABLE main.person_link (source VARCHAR, supplier_code VARCHAR, record_key VARCHAR, "
        "person_id VARCHAR, match_probability DOUBLE, linked_at TIMESTAMP, run_id VARCHAR)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE main.submissions (submission_id VARCHAR, source VARCHAR, supplier_code VARCHAR, "
        "extract_period_start DATE, extract_period_end DATE, status VARCHAR)"
    )


def _read_manifest(directory: Path) -> dict[str, str]:
    with (directory / "manifest.csv").open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.DictReader(handle))


def load_generated(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Load a generated extract set (``ROOT/SUPPLIER/SOURCE/*.csv``, ``ROOT/truth/person_records.csv``)
    into the contract tables, one accepted submission per supplier and source, linkage = the truth."""
    create_tables(con)
    for manifest_dir in sorted(p.parent for p in root.glob("*/*/manifest.csv")):
        manifest = _read_manifest(manifest_dir)
        supplier, source = manifest["supplier_code"], manifest["source"]
        submission_id = f"{source}:{supplier}"
        con.execute(
            "INSERT INTO main.submissions VALUES (?, ?, ?, ?, ?, 'current')",
            [submission_id, source, supplier, manifest["extract_period_start"], manifest["extract_period_end"]],
        )
        for table, columns in MAIN_TABLES.items():
            path = manifest_dir / f"{table}.csv"
            if SOURCE_OF_TABLE[table] != source or not path.exists():
                continue
            _insert_csv(con, "main", table, columns, path, supplier, submission_id)
            if table in IDENTITY_TABLES:
                _insert_csv(con, "identity", table, IDENTITY_TABLES[table], path, supplier, None)
    truth = root / "truth" / "person_records.csv"
    con.execute(
        "INSERT INTO main.person_link SELECT source, supplier_code, record_key, CAST(person_id AS VARCHAR), 1.0, "
        f"now(), 'truth' FROM read_csv('{truth}', all_varchar = true, header = true)"
    )


def _insert_csv(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    columns: dict[str, str],
    path: Path,
    supplier: str,
    submission_id: str | None,
) -> None:
    def typed(name: str, kind: str) -> str:
        if kind == "D":
            return f"coalesce(try_strptime(nullif({name}, ''), '%Y-%m-%d'), try_strptime(nullif({name}, ''), '%d/%m/%Y'))::DATE"
        if kind == "B":
            return f"CASE lower(nullif({name}, '')) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END"
        if kind == "I":
            return f"CAST(nullif({name}, '') AS INTEGER)"
        return f"nullif({name}, '')"

    selects = ", ".join(typed(name, kind) for name, kind in columns.items())
    extra = ", ?" if schema == "main" else ""
    params: list[str | None] = [supplier, submission_id] if schema == "main" else [supplier]
    con.execute(
        f"INSERT INTO {schema}.{table} SELECT ?, {selects}{extra} "
        f"FROM read_csv('{path}', all_varchar = true, header = true)",
        params,
    )
