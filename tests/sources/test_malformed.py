"""The malformed-file corpus: every broken upload is refused with a report naming the problem, and
the warehouse is exactly as it was before.

Each case builds its broken submission from the valid hand-made ones (``builders.py``), breaking one
thing, and names the rule (``sources.md`` 6.3) the report must carry.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from boroughhub.sources.schema import TABLES
from boroughhub.warehouse import Warehouse, submit_folder
from boroughhub.warehouse.submit import DENIED, REJECTED
from tests.sources.builders import (
    Rows,
    valid_rows,
    write_csv,
    write_submission,
    write_workbook,
)

TODAY = dt.date(2025, 6, 1)
HASH_KEY = "test-hash-key-0123456789abcdef"


@dataclass
class Case:
    build: Callable[[Path], Path]
    rule: str
    file: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


CASES: dict[str, Case] = {}


def case(
    name: str, rule: str, file: str | None = None, **options: Any
) -> Callable[[Callable[[Path], Path]], None]:
    def register(build: Callable[[Path], Path]) -> None:
        CASES[name] = Case(build, rule, file, options)

    return register


def broken(source: str, change: Callable[[Rows], None], **manifest: str) -> Callable[[Path], Path]:
    """A builder: the valid rows of ``source`` with ``change`` applied, written with an honest manifest."""

    def build(folder: Path) -> Path:
        rows = valid_rows(source)
        change(rows)
        return write_submission(folder, source, rows, **manifest)

    return build


def _set(table: str, index: int, **values: str) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[table][index].update(values)

    return change


# --- files, encodings and containers ------------------------------------------------------------


@case("empty_file", "header_missing_column", "chain_people.csv")
def _empty(folder: Path) -> Path:
    write_submission(folder, "chain")
    (folder / "chain_people.csv").write_bytes(b"")
    return folder


@case("header_only_where_rows_expected", "row_count_mismatch", "chain_contacts.csv")
def _header_only(folder: Path) -> Path:
    rows = valid_rows("chain")
    write_submission(folder, "chain", rows)
    write_csv(folder / "chain_contacts.csv", TABLES["chain_contacts"].column_names, [])
    return folder


def _columns_changed(columns: list[str], name: str = "chain_contacts") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        rows = valid_rows("chain")
        write_submission(folder, "chain", rows)
        write_csv(folder / f"{name}.csv", columns, rows[name])
        return folder

    return build


_CONTACT_COLUMNS = list(TABLES["chain_contacts"].column_names)
case("missing_column", "header_missing_column", "chain_contacts.csv")(_columns_changed(_CONTACT_COLUMNS[:-1]))
case("extra_column", "header_unknown_column", "chain_contacts.csv")(
    _columns_changed([*_CONTACT_COLUMNS, "favourite_colour"])
)
case("duplicate_column", "header_duplicate_column", "chain_contacts.csv")(
    _columns_changed([*_CONTACT_COLUMNS, "team_code"])
)


@case("shifted_columns", "field_count", "chain_contacts.csv")
def _shifted(folder: Path) -> Path:
    write_submission(folder, "chain")
    path = folder / "chain_contacts.csv"
    lines = path.read_text().splitlines()
    lines[1] = "," + lines[1]
    path.write_text("\n".join(lines) + "\n")
    return folder


@case("short_row", "field_count", "chain_stays.csv")
def _short(folder: Path) -> Path:
    write_submission(folder, "chain")
    path = folder / "chain_stays.csv"
    lines = path.read_text().splitlines()
    lines[2] = "S2,P2,,hostel"
    path.write_text("\n".join(lines) + "\n")
    return folder


@case("unbalanced_quotes", "field_count", "chain_contacts.csv")
def _quotes(folder: Path) -> Path:
    write_submission(folder, "chain")
    path = folder / "chain_contacts.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("WM1", '"WM1')
    path.write_text("\n".join(lines) + "\n")
    return folder


@case("truncated_csv", "field_count", "chain_people.csv")
def _truncated_csv(folder: Path) -> Path:
    write_submission(folder, "chain")
    path = folder / "chain_people.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 12])
    return folder


@case("binary_garbage_named_csv", "encoding_invalid", "chain_stays.csv")
def _garbage(folder: Path) -> Path:
    write_submission(folder, "chain")
    (folder / "chain_stays.csv").write_bytes(bytes(range(256)) * 40 + b"\x81\x00\xff")
    return folder


@case("windows_1252_undeclared", "encoding_invalid", "chain_people.csv")
def _cp1252(folder: Path) -> Path:
    rows = valid_rows("chain")
    rows["chain_people"][0]["home_office_ref"] = "£12 é"
    write_submission(folder, "chain", rows)
    write_csv(
        folder / "chain_people.csv",
        TABLES["chain_people"].column_names,
        rows["chain_people"],
        encoding="cp1252",
    )
    return folder


@case("windows_1252_declared_but_utf8", "encoding_mismatch", "chain_people.csv")
def _declared_wrong(folder: Path) -> Path:
    rows = valid_rows("chain")
    rows["chain_people"][0]["first_name"] = "Zoë"
    return write_submission(folder, "chain", rows, encoding="windows-1252")


@case("windows_1252_undefined_byte", "encoding_invalid", "chain_contacts.csv")
def _undefined_1252(folder: Path) -> Path:
    write_submission(folder, "chain", encoding="windows-1252")
    path = folder / "chain_contacts.csv"
    path.write_bytes(path.read_bytes().replace(b"WM1", b"WM\x81"))
    return folder


@case("utf16_file", "encoding_mismatch", "chain_stays.csv")
def _utf16(folder: Path) -> Path:
    rows = valid_rows("chain")
    write_submission(folder, "chain", rows)
    write_csv(
        folder / "chain_stays.csv", TABLES["chain_stays"].column_names, rows["chain_stays"], encoding="utf-16"
    )
    return folder


@case("ten_megabyte_cell", "bad_text", "chain_contacts.csv")
def _huge_cell(folder: Path) -> Path:
    return broken("chain", _set("chain_contacts", 0, team_code="x" * 10_000_000))(folder)


@case("xlsx_with_formulas", "bad_text", "chain_contacts")
def _formulas(folder: Path) -> Path:
    return write_workbook(folder, "chain", formulas={"chain_contacts": {"H2": "=1+1"}})


@case("zip_bomb_named_xlsx", "encoding_invalid")
def _bomb_xlsx(folder: Path) -> Path:
    write_workbook(folder, "chain")
    with zipfile.ZipFile(folder / "extract.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    return folder


@case("truncated_xlsx", "encoding_invalid")
def _truncated_xlsx(folder: Path) -> Path:
    write_workbook(folder, "chain")
    path = folder / "extract.xlsx"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return folder


@case("not_a_workbook_named_xlsx", "encoding_invalid")
def _fake_xlsx(folder: Path) -> Path:
    write_workbook(folder, "chain")
    (folder / "extract.xlsx").write_bytes(b"chain_people\n" * 100)
    return folder


@case("zip_path_traversal", "encoding_invalid")
def _zip_traversal(folder: Path) -> Path:
    write_submission(folder / "inner", "chain")
    target = folder / "submission.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in (folder / "inner").iterdir():
            archive.write(path, f"../{path.name}")
    return target


@case("zip_bomb_submission", "encoding_invalid")
def _zip_bomb(folder: Path) -> Path:
    target = folder / "submission.zip"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("chain_people.csv", b"a" * 5_000_000)
    return target


@case("file_missing", "file_missing", "chain_stays.csv")
def _missing(folder: Path) -> Path:
    write_submission(folder, "chain")
    (folder / "chain_stays.csv").unlink()
    return folder


@case("file_unexpected", "file_unexpected", "notes.txt")
def _unexpected(folder: Path) -> Path:
    write_submission(folder, "chain")
    (folder / "notes.txt").write_text("hello")
    return folder


@case("manifest_missing", "file_missing", "manifest.csv")
def _no_manifest(folder: Path) -> Path:
    write_submission(folder, "chain")
    (folder / "manifest.csv").unlink()
    return folder


# --- the manifest ---------------------------------------------------------------------------------


@case("manifest_period_reversed", "manifest_invalid", "manifest.csv")
def _period(folder: Path) -> Path:
    return write_submission(
        folder, "chain", extract_period_start="2025-01-01", extract_period_end="2024-01-01"
    )


@case("manifest_row_count_not_a_number", "manifest_invalid", "manifest.csv")
def _row_count(folder: Path) -> Path:
    rows = valid_rows("chain")
    write_submission(folder, "chain", rows)
    path = folder / "manifest.csv"
    path.write_text(path.read_text().replace(",3\n", ",three\n", 1))
    return folder


@case("supplier_not_registered_for_source", "manifest_invalid", "manifest.csv")
def _supplier_source(folder: Path) -> Path:
    return write_submission(folder, "chain", supplier_code="E09000033")


@case("file_for_the_wrong_supplier", "manifest_invalid", "manifest.csv", expected_supplier="provider-b")
def _wrong_supplier(folder: Path) -> Path:
    return write_submission(folder, "inform")


@case("extracted_on_in_the_future", "manifest_invalid", "manifest.csv")
def _extracted_future(folder: Path) -> Path:
    return write_submission(folder, "chain", extracted_on="2030-01-01")


# --- rows -----------------------------------------------------------------------------------------

case("wrong_type_boolean", "bad_boolean", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, bedded_down="maybe"))
)
case("bad_date", "bad_date", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date="2024-13-01"))
)
case("month_first_date", "bad_date", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date="12/31/2024"))
)
case("two_digit_year", "bad_date", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date="1/3/24"))
)
case("spreadsheet_serial_date", "bad_date", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date="45321"))
)
case("null_sentinel", "bad_date", "chain_stays.csv")(
    broken("chain", _set("chain_stays", 1, departure_date="NULL"))
)
case("future_date", "future_date", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date="2025-03-01"))
)
case("before_extract_period", "outside_extract_period", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date="2023-06-01"))
)
case("move_out_before_move_in", "date_order", "inform_stays.csv")(
    broken("inform", _set("inform_stays", 0, move_out_date="2024-02-01"))
)
case("departure_before_arrival", "date_order", "chain_stays.csv")(
    broken("chain", _set("chain_stays", 0, departure_date="2024-03-01"))
)
case("unknown_code", "bad_code", "chain_people.csv")(broken("chain", _set("chain_people", 0, gender="M")))
case("code_not_allowed_here", "bad_code", "chain_stays.csv")(
    broken("chain", _set("chain_stays", 0, area_code="heathrow"))
)
case("required_missing", "required_missing", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, contact_date=""))
)
case("bad_key", "bad_key", "chain_contacts.csv")(broken("chain", _set("chain_contacts", 0, contact_id="C 1")))
case("text_too_long", "bad_text", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 0, team_code="t" * 41))
)
case("control_character", "bad_text", "chain_stays.csv")(
    broken("chain", _set("chain_stays", 0, project_code="H\x071"))
)
case("empty_name_in_list", "bad_text", "chain_people.csv")(
    broken("chain", _set("chain_people", 0, other_names="A||B"))
)
case("bad_ni_number", "bad_ni_number", "chain_people.csv")(
    broken("chain", _set("chain_people", 0, ni_number="QQ123456C"))
)
case("conditional_required", "conditional_required", "chain_stays.csv")(
    broken("chain", _set("chain_stays", 0, departure_reason=""))
)
case("bedded_down_on_non_outreach_contact", "conditional_forbidden", "chain_contacts.csv")(
    broken("chain", _set("chain_contacts", 1, bedded_down="true"))
)
case("impossible_age", "impossible_age", "chain_contacts.csv")(
    broken(
        "chain",
        _set(
            "chain_people",
            0,
            date_of_birth="2024-12-01",
            support_needs_assessed_date="2024-12-02",
            last_institution_left_date="2024-12-02",
            last_institution_type="",
        ),
    )
)
case("main_applicant_under_16", "impossible_age", "hclic_people.csv")(
    broken("hclic", _set("hclic_people", 0, date_of_birth="2012-01-01"))
)
case("two_main_applicants", "cardinality", "hclic_cases.csv")(
    broken("hclic", _set("hclic_people", 2, relationship="main_applicant", last_name="Dee"))
)
case("main_duty_without_56_days_relief", "conditional_forbidden", "hclic_main_duty.csv")(
    broken("hclic", _set("hclic_relief", 0, relief_end_reason="contact_lost"))
)
case("support_needs_contradict_status", "cardinality", "hclic_support_needs.csv")(
    broken("hclic", _set("hclic_cases", 0, support_needs_status="none"))
)


def _duplicate(rows: Rows) -> None:
    rows["chain_contacts"].append(dict(rows["chain_contacts"][0]))


def _orphan(rows: Rows) -> None:
    rows["chain_contacts"][1]["chain_person_id"] = "P404"


def _other_clients_referral(rows: Rows) -> None:
    rows["inform_stays"][1]["referral_id"] = "R1"


case("duplicate_keys", "duplicate_key", "chain_contacts.csv")(broken("chain", _duplicate))
case("orphan_reference", "orphan_reference", "chain_contacts.csv")(broken("chain", _orphan))
case("referral_of_another_client", "orphan_reference", "inform_stays.csv")(
    broken("inform", _other_clients_referral)
)
case("upload_denied_by_authorise", "", None, permit=False)(broken("hclic", lambda rows: None))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A warehouse already holding a valid submission of each source."""
    root = tmp_path_factory.mktemp("malformed")
    store = Warehouse(root / "warehouse.duckdb")
    for source, supplier in (("chain", "chain_london"), ("inform", "provider-a"), ("hclic", "E09000001")):
        folder = write_submission(root / f"valid-{source}", source, supplier_code=supplier)
        result = submit_folder(folder, store, lambda *_: True, HASH_KEY, today=TODAY)
        assert result.status == "accepted", result.report.rows()
    return store


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_submission_is_refused_and_changes_nothing(
    name: str, warehouse: Warehouse, tmp_path: Path
) -> None:
    item = CASES[name]
    target = item.build(tmp_path / name)
    before = warehouse.table_counts()
    permit = item.options.get("permit", True)
    result = submit_folder(
        target,
        warehouse,
        lambda dataset, supplier, fields: permit,
        HASH_KEY,
        today=TODAY,
        expected_supplier=item.options.get("expected_supplier"),
    )
    assert warehouse.table_counts() == before
    if not permit:
        assert result.status == DENIED
        assert any("denied" in note for note in result.report.notes)
        return
    assert result.status == REJECTED
    assert item.rule in result.report.rules_broken(), result.report.summary_lines()
    named = [issue for issue in result.report.issues if issue.rule == item.rule]
    assert named and all(issue.message for issue in named)
    if item.file is not None:
        assert item.file in {issue.file for issue in named}, [(i.file, i.rule) for i in named]
    exported = result.report.to_csv()
    assert len(exported) < 200_000  # a 10 MB cell is never echoed whole
