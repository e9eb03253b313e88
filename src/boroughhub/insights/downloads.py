"""Downloads of any figure's table: CSV, and XLSX with a notes sheet (definitions, parameters, coverage).

Values are the published (disclosure-controlled) text; cells a spreadsheet would run as a formula are
neutralised, although published values never start with one of those characters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter

from boroughhub.insights.definitions import DEFINITIONS
from boroughhub.insights.pages import FigureTable
from boroughhub.insights.published import COLUMNS, Coverage, Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARKERS = "[c] suppressed to protect individuals; [x] not available; [z] not applicable."


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def table_rows(table: FigureTable) -> list[list[str]]:
    rows = [[period, *cells, "short_history" if period in table.short_history else ""] for period, cells in table.rows]
    return [["Period", *table.columns, "Flags"], *rows]


def notes(table: FigureTable | None, area: str, coverage: Coverage | None, unrounded: bool) -> list[tuple[str, str]]:
    """The notes sheet: what the table is, how its figures were protected, and what data they cover."""
    lines = [("Area", area)]
    if table is not None:
        figure = table.figure
        lines = [
            ("Table", figure.title),
            ("Area", area),
            ("Breakdown", table.breakdown),
            ("Definition", figure.describe or "See docs/metrics.md for every metric's definition."),
            ("Metric ids", ", ".join(sorted({f"{s.metric} ({s.measure}{', ' + s.variant if s.variant else ''})"
                                             for s in figure.series}))),
        ]
    else:
        lines.append(("Table", "metric_values in the long format of metrics.md section 7"))
        lines += [(metric, text) for metric, text in DEFINITIONS.items()]
    lines += [
        ("Figures", "UNROUNDED: inside the hub only; not for publication" if unrounded
         else "After disclosure control: counts of 1 to 7 suppressed, others rounded (5 below London, 10 for London)"),
        ("Markers", MARKERS),
        ("Flags", "short_history: the data starts less than the measure's look-back before the period"),
    ]
    if coverage:
        lines += [("Data as at", coverage.as_at), ("History from", coverage.history_start),
                  ("Computed at", coverage.computed_at), ("Parameters", coverage.parameters)]
    return lines


def to_csv(table: FigureTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in table_rows(table):
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: FigureTable, note_lines: Sequence[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    # strings_to_formulas off: nothing typed in a cell is ever run as a formula.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("Table")
    for r, row in enumerate(table_rows(table)):
        for c, cell in enumerate(row):
            number = None if r == 0 or c == 0 or c > len(table.columns) else _as_number(cell)
            if number is None:
                sheet.write_string(r, c, cell, bold if r == 0 else None)
            else:
                sheet.write_number(r, c, number)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, len(table.columns), 22)
    _write_notes(workbook, note_lines, bold)
    workbook.close()
    return buffer.getvalue()


def _write_notes(workbook: xlsxwriter.Workbook, note_lines: Sequence[tuple[str, str]], bold: object) -> None:
    """The notes sheet every XLSX download carries: key in bold, then its text."""
    notes_sheet = workbook.add_worksheet("Notes")
    for r, (key, value) in enumerate(note_lines):
        notes_sheet.write_string(r, 0, key, bold)
        notes_sheet.write_string(r, 1, value)
    notes_sheet.set_column(0, 0, 28)
    notes_sheet.set_column(1, 1, 100)


def _as_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def long_format(rows: Sequence[Row], fmt: str, note_lines: Sequence[tuple[str, str]]) -> tuple[bytes, str]:
    """Published ``metric_values`` rows as CSV or XLSX (with the notes sheet)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([safe_cell(row[c]) for c in COLUMNS])
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("metric_values")
    for c, name in enumerate(COLUMNS):
        sheet.write_string(0, c, name, bold)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(COLUMNS):
            number = _as_number(row[name]) if name == "value" else None
            if number is None:
                sheet.write_string(r, c, row[name])
            else:
                sheet.write_number(r, c, number)
    _write_notes(workbook, note_lines, bold)
    workbook.close()
    return output.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
