"""CSV and XLSX downloads."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl

from boroughhub.insights.export import Selection, export_csv, export_xlsx
from boroughhub.insights.metrics import LONDON


def test_csv_published_and_unrounded(worked: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    selection = Selection(metrics=["chain_total"], period_types=["financial_year"], areas=[LONDON])
    n = export_csv(worked, tmp_path / "p.csv", selection, unrounded=False)
    with (tmp_path / "p.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    # 7 years × (none + 7 age bands + 4 genders + 9 nationality groups + 4 + 3 needs, and the profile's
    # 9 combinations of needs + 3 institutions)
    assert n == len(rows) == 7 * 40
    latest = [r for r in rows if r["period"] == "2023/24" and r["breakdown"] == "none"]
    assert latest[0]["value"] == "10"
    export_csv(worked, tmp_path / "u.csv", selection, unrounded=True)
    with (tmp_path / "u.csv").open() as handle:
        raw = [r for r in csv.DictReader(handle) if r["period"] == "2023/24" and r["breakdown"] == "none"]
    assert raw[0]["value"] == "9"


def test_xlsx_has_notes(worked: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    n = export_xlsx(worked, path, Selection(period_types=["financial_year"], periods=["2023/24"]), unrounded=False)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["metric_values", "notes"]
    data = list(book["metric_values"].iter_rows(values_only=True))
    assert len(data) == n + 1
    notes = list(book["notes"].iter_rows(values_only=True))
    items = {(section, item): text for section, item, text in notes[1:]}
    assert items[("Run", "as_at")] == "2024-03-31"
    assert ("Definition", "chain_total") in items
    assert any(section == "Data coverage" for section, _ in items)
    assert items[("Parameter", "lots_min_nights")] == "5"
