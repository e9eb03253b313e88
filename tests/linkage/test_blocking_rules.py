"""Which records the prediction blocking rules bring together (the settings' own SQL, run in DuckDB)."""

from __future__ import annotations

from typing import Any

import duckdb

from boroughhub.linkage.blocked_pairs import blocked_pairs_sql
from boroughhub.linkage.model_settings import AREAS_SHARED, settings_for_dialect
from boroughhub.linkage.standardise import standardise

RAW_COLUMNS = ("first_name", "last_name", "date_of_birth")


def _candidate_pairs(records: list[dict[str, Any]], fields: set[str]) -> set[tuple[str, str]]:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE raw (unique_id VARCHAR, source VARCHAR, supplier_code VARCHAR, record_key VARCHAR, "
                f"{', '.join(f'{c} VARCHAR' for c in RAW_COLUMNS)})")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (r["id"], "chain", "s", r["id"], *(r.get(c) for c in RAW_COLUMNS)) for r in records])
    standardise(con, "raw", "std")
    pairs = con.execute(blocked_pairs_sql(settings_for_dialect(fields, "duckdb"), "std")).fetchall()
    return {(left, right) for _, left, right in pairs}


def test_a_record_with_a_date_of_birth_and_no_name_meets_the_records_born_that_day() -> None:
    # Someone outreach met who gave a date of birth but no name: only the date can bring their records in.
    pairs = _candidate_pairs([
        {"id": "a", "date_of_birth": "1984-08-26"},
        {"id": "b", "first_name": "Ibrahim", "last_name": "Nwosu", "date_of_birth": "1984-08-26"},
        {"id": "c", "first_name": "Grace", "last_name": "Obi", "date_of_birth": "1984-08-27"},
        {"id": "d", "first_name": "Tomasz", "last_name": "Kowalski", "date_of_birth": "1984-08-26"},
    ], set())
    assert ("a", "b") in pairs and ("a", "d") in pairs
    assert ("a", "c") not in pairs
    # Two named records born on one day, nothing else in common, stay apart (the rule asks for no name).
    assert ("b", "d") not in pairs


def test_without_a_name_the_date_of_birth_is_enough_only_in_one_area() -> None:
    settings = settings_for_dialect({"areas"}, "duckdb")
    nameless = [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]
                if "first_name IS NULL AND" in rule["blocking_rule"]]
    assert len(nameless) == 2  # one for each side, so each join starts from the nameless records
    assert all(AREAS_SHARED in rule for rule in nameless)
