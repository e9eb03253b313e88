"""Findings are listed up to a cap per rule and file; the rest are counted, and the count is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from boroughhub.sources import validate_submission
from boroughhub.sources.report import MAX_FINDINGS_PER_RULE, Issue, ValidationReport
from tests.sources.builders import valid_rows, write_submission

TODAY = dt.date(2025, 6, 1)


def add_header_columns(folder: Path, file_name: str, count: int) -> None:
    """Append ``count`` made-up column names to the header of ``file_name`` (the data rows unchanged)."""
    path = folder / file_name
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    extra = ",".join(f"extra_{n}" for n in range(count))
    path.write_text(f"{header},{extra}\n{rest}", encoding="utf-8")


def test_a_header_with_100000_extra_columns_lists_a_capped_number_and_counts_the_rest(tmp_path: Path) -> None:
    folder = write_submission(tmp_path / "chain", "chain")
    add_header_columns(folder, "chain_people.csv", 100_000)
    report = validate_submission(folder, duckdb.connect(), today=TODAY).report
    people = report.summaries["chain_people.csv"]
    assert people.errors["header_unknown_column"] == 100_000  # every one still counted
    listed = [i for i in report.issues if i.rule == "header_unknown_column"]
    assert len(listed) == MAX_FINDINGS_PER_RULE and listed[0].column == "extra_0"
    rows = report.rows()
    assert len(rows) < 2 * MAX_FINDINGS_PER_RULE
    first = rows[0]  # the count of the rest comes first, so every rendering shows it
    assert (first["file"], first["rule"], first["line"]) == ("chain_people.csv", "header_unknown_column", "")
    assert first["message"].startswith("99,000 more header_unknown_column findings in chain_people.csv not listed")
    csv_text = report.to_csv()
    assert "99,000 more header_unknown_column" in csv_text and len(csv_text.encode()) < 500_000


def test_row_rules_found_in_sql_are_capped_per_rule_and_file(tmp_path: Path) -> None:
    rows = valid_rows("chain")
    contacts = rows["chain_contacts"]
    while len(contacts) < 6:
        contacts.append(dict(contacts[-1], contact_id=f"K{len(contacts) + 100}"))
    for row in contacts:
        row["contact_date"] = "not a date"
    folder = write_submission(tmp_path / "chain", "chain", rows)
    report = validate_submission(folder, duckdb.connect(), today=TODAY, max_per_rule=2).report
    assert report.summaries["chain_contacts.csv"].errors["bad_date"] == len(contacts)
    assert [i.line for i in report.issues if i.rule == "bad_date"] == [2, 3]
    assert ("chain_contacts.csv", "bad_date", len(contacts) - 2) in report.not_listed()


def test_findings_added_one_by_one_are_capped_per_rule_and_file() -> None:
    report = ValidationReport(max_per_rule=2)
    for n in range(5):
        report.add(Issue("a.csv", "bad_code", f"bad {n}", line=n + 2))
        report.add(Issue("b.csv", "bad_code", f"bad {n}", line=n + 2))
    report.add(Issue("a.csv", "bad_date", "bad date", line=9))
    assert len(report.issues) == 5 and report.truncated
    assert report.not_listed() == [("a.csv", "bad_code", 3), ("b.csv", "bad_code", 3)]
    assert report.error_count == 11


@pytest.mark.parametrize("count", [1, 2])
def test_a_report_within_the_cap_says_nothing_more(count: int) -> None:
    report = ValidationReport(max_per_rule=2)
    for n in range(count):
        report.add(Issue("a.csv", "bad_code", "bad", line=n + 2))
    assert report.not_listed() == [] and not report.truncated
    assert all("more" not in row["message"] for row in report.rows())
