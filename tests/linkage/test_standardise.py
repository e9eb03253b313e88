from __future__ import annotations

import duckdb
import pytest

from boroughhub.linkage.names import canonical_first_name
from boroughhub.linkage.standardise import detect_date_format, standardise


def _standardise(rows: list[dict[str, str | None]]) -> list[dict[str, object]]:
    con = duckdb.connect()
    columns = ["unique_id", "source", "supplier_code", "record_key", *rows[0].keys()]
    values = ", ".join(
        "(" + ", ".join(["?"] * len(columns)) + ")" for _ in rows
    )
    params: list[object] = []
    for i, row in enumerate(rows):
        params += [str(i), "chain", "s", str(i), *row.values()]
    con.execute(f"CREATE TABLE raw AS SELECT * FROM (VALUES {values}) t({', '.join(columns)})", params)
    standardise(con, "raw", "std")
    return con.sql("SELECT * FROM std ORDER BY CAST(unique_id AS INTEGER)").to_arrow_table().to_pylist()


def test_names_lose_case_accents_punctuation_and_variants() -> None:
    out = _standardise(
        [
            {"first_name": "BOB", "last_name": "O'Brien"},
            {"first_name": "Muhammad", "last_name": "Mc Donald"},
            {"first_name": "Zoë-Ann", "last_name": "Łukasik"},
            {"first_name": "  ", "last_name": None},
        ]
    )
    assert [(r["first_name"], r["last_name"]) for r in out] == [
        ("robert", "obrien"),
        ("mohammed", "mcdonald"),
        ("zoe", "lukasik"),
        (None, None),
    ]
    assert out[0]["full_name"] == "robert obrien"


def test_aliases_feed_name_tokens() -> None:
    out = _standardise([{"first_name": "John", "last_name": "Smith", "other_names": "Johnny Smyth|Jack Jones"}])
    assert out[0]["name_tokens"] == ["john", "jones", "smith", "smyth"]


@pytest.mark.parametrize("raw", ["1980-02-01", "19800201", "01/02/1980", "1/2/1980"])
def test_dates_of_birth_in_each_accepted_form(raw: str) -> None:
    out = _standardise([{"date_of_birth": raw}])
    assert (out[0]["dob"], out[0]["dob_y"], out[0]["dob_m"], out[0]["dob_d"]) == ("1980-02-01", 1980, 2, 1)


@pytest.mark.parametrize("raw", ["1980-13-01", "31/02/1980", "1899-01-01", "02-01-1980", "yesterday"])
def test_impossible_dates_become_missing(raw: str) -> None:
    assert _standardise([{"date_of_birth": raw}])[0]["dob"] is None


def test_identifiers_and_codes() -> None:
    out = _standardise(
        [
            {"ni_number": "ab 12 34 56 c", "gender": "F", "nationality": "gbr"},
            {"ni_number": "TN123456A", "gender": "not_known", "nationality": "XXX"},
        ]
    )
    assert (out[0]["ni_number"], out[0]["gender"], out[0]["nationality"]) == ("AB123456C", "female", "GBR")
    assert (out[1]["ni_number"], out[1]["gender"], out[1]["nationality"]) == (None, None, None)


def test_nicknames_and_transliterations() -> None:
    assert canonical_first_name("bill") == "william"
    assert canonical_first_name("mohamed") == canonical_first_name("muhammad") == "mohammed"
    assert canonical_first_name("alex") == canonical_first_name("alexander")
    assert canonical_first_name("zebedee") == "zebedee"


def test_date_format_detection() -> None:
    assert detect_date_format(["1980-02-01", "1990-12-31"]) == "iso"
    assert detect_date_format(["19800201", ""]) == "yyyymmdd"
    assert detect_date_format(["1/2/1980", "25/12/1990"]) == "dd/mm/yyyy"
    assert detect_date_format(["soon"]) is None
