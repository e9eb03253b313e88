"""``results.xlsx``: every table of spec §8.1 as one sheet of a workbook, for people who work in a spreadsheet.

The cells are the CSV files' cells (same rounding, same neutralised formula text), numbers written as
numbers, plus a "Notes" sheet saying what the workbook is.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from boroughhub.evaluation import exports
from boroughhub.evaluation.results import Results

#: Excel refuses sheet names longer than 31 characters.
MAX_SHEET_NAME = 31


def to_xlsx(results: Results) -> bytes:
    buffer = io.BytesIO()
    # strings_to_formulas off: nothing from a spec or a CSV is ever run as a formula.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    notes = workbook.add_worksheet("Notes")
    lines = [("Programme", results.plan.settings.name), ("Spec file", str(results.meta["spec_file"])),
             ("SHA-256 of the spec", str(results.meta["spec_sha256"])), ("Run at", str(results.meta["run_at"])),
             ("Sheets", "One per CSV file of the evaluation (spec §8.1); money in £ to 2 decimals, ratios to 6.")]
    for r, (key, value) in enumerate(lines):
        notes.write_string(r, 0, key, bold)
        notes.write_string(r, 1, value)
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 90)
    for name, rows in exports.tables(results).items():
        if rows:
            _write_table(workbook.add_worksheet(name[:MAX_SHEET_NAME]), rows, bold)
    workbook.close()
    return buffer.getvalue()


def _write_table(sheet: Any, rows: list[dict[str, Any]], bold: Any) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    for c, column in enumerate(columns):
        sheet.write_string(0, c, column, bold)
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = row.get(column)
            text = exports._csv_cell(column, value)
            if isinstance(value, int | float) and not isinstance(value, bool) and text:
                sheet.write_number(r, c, float(text))
            elif text:
                sheet.write_string(r, c, text)
    sheet.freeze_panes(1, 0)
