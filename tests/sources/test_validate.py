"""Valid submissions pass; the accepted forms of sources.md 1 are read; reports never leak identifiers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from boroughhub.sources import parse_date, validate_submission
from boroughhub.sources.report import RULES, SPEC_RULES, Issue, ValidationReport, neutralise_formula
from boroughhub.sources.schema import SOURCES, TABLES
from tests.sources.builders import valid_rows, write_csv, write_submission, write_workbook

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_hand_made_submission_of_each_source_is_valid(
    source: str, tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    result = validate_submission(write_submission(tmp_path, source), con, today=TODAY)
    assert result.passed, result.report.rows()
    assert result.report.error_count == 0
    assert result.row_counts == {t.file_name: len(valid_rows(source)[t.name]) for t in SOURCES[source]}


def test_workbook_submission_is_read_like_the_csv_files(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    result = validate_submission(write_workbook(tmp_path, "hclic"), con, today=TODAY)
    assert result.passed, result.report.rows()
    typed = con.execute("SELECT application_date FROM bh_typed_hclic_cases ORDER BY line_no").fetchall()
    assert typed[0][0] == dt.date(2024, 1, 10)


def test_fields_with_values_are_what_the_upload_asks_to_share(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    result = validate_submission(write_submission(tmp_path, "chain"), con, today=TODAY)
    assert "history_care" not in result.fields_with_values  # empty throughout: not shared
    assert {"first_name", "contact_date", "team_code"} <= result.fields_with_values


def test_bom_crlf_and_day_first_dates_are_accepted(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    write_submission(tmp_path, "chain")
    path = tmp_path / "chain_contacts.csv"
    text = path.read_text().replace("\n", "\r\n").replace("2024-03-01", "1/3/2024")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = validate_submission(tmp_path, con, today=TODAY)
    assert result.passed, result.report.rows()
    assert con.execute("SELECT min(contact_date) FROM bh_typed_chain_contacts").fetchone() == (
        dt.date(2024, 3, 1),
    )


def test_declared_windows_1252_is_transcoded_and_noted(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    rows = valid_rows("chain")
    rows["chain_contacts"][0]["team_code"] = "£ café"
    write_submission(tmp_path, "chain", rows, file_encoding="cp1252", encoding="windows-1252")
    result = validate_submission(tmp_path, con, today=TODAY)
    assert result.passed, result.report.rows()
    assert any("transcoded" in note for note in result.report.notes)
    assert con.execute(
        "SELECT team_code FROM bh_typed_chain_contacts WHERE contact_id = 'C1'"
    ).fetchone() == ("£ café",)


def test_undeclared_windows_1252_names_line_byte_and_the_fix(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    rows = valid_rows("chain")
    rows["chain_stays"][1]["project_code"] = "£5"
    write_submission(tmp_path, "chain", rows, file_encoding="cp1252")
    issue = next(
        i
        for i in validate_submission(tmp_path, con, today=TODAY).report.issues
        if i.rule == "encoding_invalid"
    )
    assert issue.line == 3 and issue.value == "0xA3"
    assert "Windows-1252" in issue.message and "byte offset" in issue.message


def test_warnings_do_not_block(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    rows = valid_rows("chain")
    rows["chain_people"][2]["last_name"] = ""  # P3: no name, no date of birth
    rows["chain_people"][2]["home_office_ref"] = ""
    rows["chain_people"][1]["date_of_birth"] = "1925-01-01"  # 99 at the contact
    rows["chain_stays"].append(
        {"stay_id": "S3", "chain_person_id": "P2", "project_type": "hostel", "arrival_date": "2024-02-01"}
    )
    result = validate_submission(write_submission(tmp_path, "chain", rows), con, today=TODAY)
    assert result.passed, result.report.rows()
    assert {"no_identifiers", "age_implausible", "overlapping_stays"} <= result.report.rules_broken()


def test_every_finding_is_reported_not_just_the_first(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    rows = valid_rows("chain")
    for row in rows["chain_contacts"]:
        row["contact_type"] = "nonsense"
    rows["chain_people"][0]["gender"] = "M"
    result = validate_submission(write_submission(tmp_path, "chain", rows), con, today=TODAY)
    assert result.report.summaries["chain_contacts.csv"].errors["bad_code"] == 3
    assert result.report.summaries["chain_people.csv"].errors["bad_code"] == 1
    assert [i.line for i in result.report.issues if i.file == "chain_contacts.csv"] == [2, 3, 4]


def test_direct_identifiers_are_never_echoed(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    rows = valid_rows("inform")
    rows["inform_clients"][0].update(
        first_name="Secretname" * 20, ni_number="QQ999999Q", date_of_birth="31/02/1980"
    )
    rows["inform_clients"][1].update(other_names="Hidden||Alias")
    result = validate_submission(write_submission(tmp_path, "inform", rows), con, today=TODAY)
    exported = result.report.to_csv()
    assert {"bad_text", "bad_ni_number", "bad_date"} <= result.report.rules_broken()
    for secret in ("Secretname", "QQ999999Q", "31/02/1980", "Hidden"):
        assert secret not in exported
    assert "[redacted]" in exported


def test_report_csv_neutralises_formulas_and_has_the_spec_columns() -> None:
    report = ValidationReport(submission_id="s1")
    report.add(
        Issue(
            "chain_contacts.csv",
            "bad_text",
            "=HYPERLINK()",
            line=2,
            column="team_code",
            value="=cmd|' /C calc'!A0",
        )
    )
    report.add(Issue("chain_contacts.csv", "bad_code", "m", line=3, column="area_code", value="@SUM(1)"))
    lines = report.to_csv().splitlines()
    assert lines[0] == "submission_id,file,line,record_key,column,rule,severity,value,message"
    assert "'=cmd" in lines[1] and "'=HYPERLINK" in lines[1]
    assert "'@SUM" in lines[2]
    for cell in ("+1", "-1", "\tx", "\rx"):
        assert neutralise_formula(cell).startswith("'")
    assert neutralise_formula("plain") == "plain"


def test_rich_rendering_has_every_finding() -> None:
    from rich.console import Console

    report = ValidationReport(submission_id="s1")
    report.add(Issue("chain_people.csv", "bad_code", "Not a code", line=2, column="gender", value="[bold]M"))
    console = Console(record=True, width=200)
    console.print(report.to_rich_table())
    text = console.export_text()
    assert "bad_code" in text and "[bold]M" in text


def test_rule_names_are_exactly_those_of_the_spec() -> None:
    assert len(SPEC_RULES) == 31
    assert set(RULES) - set(SPEC_RULES) == {"not_permitted"}  # the agreements' refusal, not a file rule
    assert RULES["age_implausible"] == "warning" and RULES["bad_code"] == "error"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("5/6/2023", dt.date(2023, 6, 5)),
        ("05/06/2023", dt.date(2023, 6, 5)),
        ("2023-02-29", None),
        ("2023-2-9", None),
        ("1899-12-31", None),
        ("06/05/23", None),
        ("44000", None),
        ("2023-06-05T10:00", None),
    ],
)
def test_accepted_date_forms(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_sql_and_python_date_parsers_agree(con: duckdb.DuckDBPyConnection) -> None:
    from boroughhub.sources.column_checks import valid_date_expression

    samples = [
        "2024-02-29",
        "5/6/2023",
        "31/12/2100",
        "1/1/1899",
        "2023-02-29",
        "13/13/2020",
        "2023-2-9",
        "x",
    ]
    for sample in samples:
        (value,) = con.execute(
            f"SELECT {valid_date_expression('v')} FROM (SELECT ? AS v)", [sample]
        ).fetchone() or (None,)
        assert value == parse_date(sample), sample


def test_header_is_normalised(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    rows = valid_rows("chain")
    write_submission(tmp_path, "chain", rows)
    columns = [f" {c.upper()} " for c in TABLES["chain_stays"].column_names]
    write_csv(tmp_path / "chain_stays.csv", columns, [])
    path = tmp_path / "chain_stays.csv"
    path.write_text(
        path.read_text()
        + "".join(
            ",".join(r.get(c, "") for c in TABLES["chain_stays"].column_names) + "\n"
            for r in rows["chain_stays"]
        )
    )
    result = validate_submission(tmp_path, con, today=TODAY)
    assert result.passed, result.report.rows()


def test_a_manifest_problem_does_not_stop_the_data_checks(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    rows = valid_rows("chain")
    rows["chain_people"][0]["gender"] = "M"
    result = validate_submission(
        write_submission(tmp_path, "chain", rows, extracted_on="2030-01-01"), con, today=TODAY
    )
    assert {"manifest_invalid", "bad_code"} <= result.report.rules_broken()
    assert not result.passed
