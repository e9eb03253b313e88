"""Which comparison level a pair of standardised records falls into (the model's SQL, run in DuckDB)."""

from __future__ import annotations

from typing import Any

import duckdb

from boroughhub.linkage.model_settings import settings_for_dialect
from boroughhub.linkage.standardise import standardise

RAW_COLUMNS = ("first_name", "last_name", "date_of_birth", "date_of_birth_estimated")


def _level(comparison: str, left: dict[str, Any], right: dict[str, Any]) -> str:
    """The label of the first level of ``comparison`` whose condition the pair meets, as Splink picks it."""
    con = duckdb.connect()
    rows = [(str(i), "chain", "s", str(i), *(r.get(c) for c in RAW_COLUMNS)) for i, r in enumerate((left, right))]
    con.execute(f"CREATE TABLE raw (unique_id VARCHAR, source VARCHAR, supplier_code VARCHAR, record_key VARCHAR, "
                f"{', '.join(f'{c} VARCHAR' for c in RAW_COLUMNS)})")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    standardise(con, "raw", "std")
    columns = [row[0] for row in con.execute("SELECT * FROM std LIMIT 0").description]
    sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)
    con.execute(f"CREATE TABLE pair AS SELECT {sides} FROM std AS l, std AS r WHERE l.unique_id = '0' AND r.unique_id = '1'")
    settings = settings_for_dialect(set(), "duckdb")
    levels = next(c for c in settings["comparisons"] if c["output_column_name"] == comparison)["comparison_levels"]
    for level in levels:
        if level["sql_condition"] == "ELSE":
            return "else"
        if con.execute(f"SELECT {level['sql_condition']} FROM pair").fetchone() == (True,):
            return str(level.get("label_for_charts") or level["sql_condition"])
    raise AssertionError("no level matched")


def test_an_estimated_date_of_birth_is_compared_as_an_age_only() -> None:
    estimated = {"first_name": "Leigh", "date_of_birth": "1980-01-01", "date_of_birth_estimated": "true"}
    assert _level("dob", estimated, {"first_name": "Lee", "date_of_birth": "1981-07-15"}) == (
        "estimated age agrees (within a year)")
    assert _level("dob", estimated, {"first_name": "Lee", "date_of_birth": "1955-07-15"}) == "estimated age differs"
    # The same 1 January as a recorded date would be an exact match; estimated, it is only an age.
    assert _level("dob", estimated, {"first_name": "Lee", "date_of_birth": "1980-01-01"}) == (
        "estimated age agrees (within a year)")
    assert _level("dob", estimated, {"first_name": "Lee"}) == "missing"
    assert _level("dob", {"date_of_birth": "1980-07-15"}, {"date_of_birth": "1980-07-15"}) == "exact"


def test_swapped_and_misspelt_names_and_a_name_written_elsewhere_share_a_name() -> None:
    assert _level("name", {"first_name": "Anila", "last_name": "Gashi"},
                  {"first_name": "Gashhi", "last_name": "Anila"}) == "a name in common"
    # A first name recorded as the surname: one name in common, nothing else.
    assert _level("name", {"first_name": "Gary"}, {"first_name": "Ali", "last_name": "Gary"}) == "a name in common"
    assert _level("name", {"first_name": "Gary", "last_name": "Stone"},
                  {"first_name": "Ali", "last_name": "Khan"}) == "else"


def test_a_missing_last_name_is_not_a_different_one() -> None:
    # CHAIN often records a first name only: no evidence against the other record's surname.
    assert _level("name", {"first_name": "Dean"}, {"first_name": "Dean", "last_name": "Walsh"}) == (
        "same first name, a last name missing")
    # Two surnames that differ: as often a stranger born on the same day.
    assert _level("name", {"first_name": "Dean", "last_name": "Okafor"}, {"first_name": "Dean", "last_name": "Walsh"}) == (
        "same first name, last names differ")
