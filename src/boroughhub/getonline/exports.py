"""The report's downloads: its tables as CSV and XLSX, and the funder export (each borough's figures
month by month beside its target). Counts only: no person's reference ever reaches a download."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter

from boroughhub.audit import spreadsheet_safe

from .boroughs import boroughs
from .figures import MEASURES, Given, borough_target, by_borough, by_hub, by_month, long_date, month_bounds

Table = tuple[str, list[str], list[list[Any]]]


def report_tables(records: Sequence[Given], start: date, end: date) -> list[Table]:
    """The report's three tables, as (sheet name, heading, rows)."""
    labels = list(MEASURES.values())
    result = by_borough(records, start, end)
    borough_rows: list[list[Any]] = [[row["borough"], *(row[m] for m in MEASURES)] for row in result["boroughs"]]
    borough_rows.append(["London", *(result["london"][m] for m in MEASURES)])
    borough_rows.append(["London target for the period", *(result["london_targets_for_period"][m] for m in MEASURES)])
    months = [[row["month"], *(row[m] for m in MEASURES)] for row in by_month(records, start, end)]
    hubs = [[row["hub"], *(row[m] for m in MEASURES)] for row in by_hub(records, start, end)]
    return [("By borough", ["Borough", *labels], borough_rows), ("By month", ["Month", *labels], months),
            ("By hub", ["Hub", *labels], hubs)]


def funder_table(records: Sequence[Given], start: date, end: date) -> Table:
    """One row per borough, month and measure, with the borough's target for that month."""
    rows: list[list[Any]] = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        first, last = month_bounds(cursor.year, cursor.month)
        first, last = max(first, start), min(last, end)
        figures = by_borough(records, first, last)
        for row in figures["boroughs"]:
            for measure, label in MEASURES.items():
                rows.append([f"{cursor:%Y-%m}", row["ons_code"], row["borough"], label, row[measure],
                             borough_target(measure, (last - first).days + 1)])
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return ("Funder export", ["Month", "ONS code", "Borough", "Measure", "Given", "Target"], rows)


def to_csv(table: Table) -> str:
    _, heading, rows = table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(heading)
    writer.writerows([[cell if isinstance(cell, int) else spreadsheet_safe(cell) for cell in row] for row in rows])
    return out.getvalue()


def to_xlsx(tables: Sequence[Table], start: date, end: date) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    notes = book.add_worksheet("Notes")
    for number, (name, text) in enumerate([
            ("Report", "Get Online London: devices, SIM cards, data vouchers and learners"),
            ("Period", f"{long_date(start)} to {long_date(end)}"),
            ("Borough", "The borough of the hub that gave the help"),
            ("Devices", "Devices allocated to a person in the period"),
            ("SIM cards and data vouchers", "Codes issued to a person in the period"),
            ("Learners", "People who completed a course in the period, each counted once"),
            ("Boroughs", str(len(boroughs())))]):
        notes.write(number, 0, name, bold)
        notes.write(number, 1, text)
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 70)
    for name, heading, rows in tables:
        sheet = book.add_worksheet(name[:31])
        sheet.write_row(0, 0, heading, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
        sheet.set_column(0, 0, 30)
    book.close()
    return out.getvalue()
