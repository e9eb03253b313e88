"""Downloads of any figure's table: CSV, and XLSX with a notes sheet (definitions, parameters, coverage).

Values are the published (disclosure-controlled) text; cells a spreadsheet would run as a formula are
neutralised, although published values never start with one of those characters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter

from boroughhub.insights.audience import area_name
from boroughhub.insights.definitions import (
    BREAKDOWN_KIND_NAMES,
    DEFINITIONS,
    MEASURE_NAMES,
    PERIOD_TYPE_NAMES,
    VARIANT_NAMES,
    metric_name,
)
from boroughhub.insights.pages import FigureTable
from boroughhub.insights.published import COLUMNS, Coverage, Row
from boroughhub.insights.words import SHORT, KeyEntry, category_label, parameters_in_words

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


def table_rows(table: FigureTable, short_flag: str = "short_history") -> list[list[str]]:
    """Heading and rows of a figure's table; the flag column says ``short_flag`` where the history is short
    (the CSV keeps the flag's code; the XLSX says the marker its notes explain)."""
    rows = [[period, *cells, short_flag if period in table.short_history else ""] for period, cells in table.rows]
    return [["Period", *table.columns, "Flags"], *rows]


def notes(table: FigureTable | None, area: str, coverage: Coverage | None, unrounded: bool,
          key: Sequence[KeyEntry] = ()) -> list[tuple[str, str]]:
    """The notes sheet, in words: what the table is, how its figures were protected (the key, with the
    threshold applied), and what data they cover. No metric id, code or raw parameter text."""
    lines = [("Area", area)]
    if table is not None:
        figure = table.figure
        measures = "; ".join(dict.fromkeys(
            f"{s.label}: {metric_name(s.metric)}" + (f" ({VARIANT_NAMES[s.variant].lower()})" if s.variant else "")
            for s in figure.series))
        lines = [
            ("Figure", figure.title),
            ("Area", area),
            ("Breakdown", BREAKDOWN_KIND_NAMES.get(table.breakdown, table.breakdown)),
            ("What it shows", figure.describe or " ".join(dict.fromkeys(DEFINITIONS.get(s.metric, "")
                                                                       for s in figure.series))),
            ("Measures", measures),
        ]
    else:
        lines.append(("Table", "Every published figure for the area, one row per figure, in the long format"))
        lines += [(metric_name(metric), text) for metric, text in DEFINITIONS.items()]
    lines.append(("Figures", "UNROUNDED: inside the hub only; not for publication" if unrounded
                  else "After disclosure control: " + (key[0].meaning if key else MARKERS)))
    lines += [(f"Key {entry.marker}", entry.meaning) for entry in key] or [("Markers", MARKERS)]
    if coverage:
        lines += [("Data as at", coverage.as_at), ("History from", coverage.history_start),
                  ("Computed at", coverage.computed_at), *parameters_in_words(coverage.parameters)]
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
    for r, row in enumerate(table_rows(table, SHORT)):
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


#: The CSV carries the ids for people who join tables, and these names beside them.
CSV_NAME_COLUMNS = ("metric_name", "breakdown_value_name")
XLSX_HEADINGS = ("Measure", "Variant", "Period type", "Period", "Area", "Breakdown", "Group", "Figure", "Value",
                 "Flags")  # fmt: skip


def in_words(row: Row) -> list[str]:
    """A long-format row as an XLSX reader sees it: names, labels and markers, no codes."""
    return [
        metric_name(row["metric"]), VARIANT_NAMES.get(row["variant"], row["variant"]),
        PERIOD_TYPE_NAMES.get(row["period_type"], row["period_type"]), row["period"], area_name(row["area_code"]),
        BREAKDOWN_KIND_NAMES.get(row["breakdown"], row["breakdown"]),
        category_label(row["breakdown"], row["breakdown_value"], row["metric"]),
        MEASURE_NAMES.get(row["measure"], row["measure"]), row["value"],
        SHORT if "short_history" in row["flags"] else "",
    ]


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
        writer.writerow((*COLUMNS, *CSV_NAME_COLUMNS))
        for row in rows:
            names = (metric_name(row["metric"]), category_label(row["breakdown"], row["breakdown_value"], row["metric"]))
            writer.writerow([safe_cell(row[c]) for c in COLUMNS] + [safe_cell(n) for n in names])
        return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("Figures")
    for c, name in enumerate(XLSX_HEADINGS):
        sheet.write_string(0, c, name, bold)
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(in_words(row)):
            number = _as_number(cell) if c == XLSX_HEADINGS.index("Value") else None
            if number is None:
                sheet.write_string(r, c, cell)
            else:
                sheet.write_number(r, c, number)
    sheet.set_column(0, 0, 50)
    sheet.set_column(1, len(XLSX_HEADINGS) - 1, 20)
    _write_notes(workbook, note_lines, bold)
    workbook.close()
    return output.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
