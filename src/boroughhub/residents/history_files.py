"""A resident's access history as CSV and XLSX, for the answer to a subject access request.

The rows say when, which organisation, what was seen and for what purpose (and the staff member only when
the officer chose to show staff); the resident is named in neither the rows nor the file name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import xlsxwriter

from boroughhub.audit import spreadsheet_safe

LONDON = ZoneInfo("Europe/London")


class Line(Protocol):
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def organisation(self) -> str: ...
    @property
    def what(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def staff(self) -> str | None: ...


def header(show_staff: bool) -> list[str]:
    return ["When (London time)", "Organisation", "What was seen", "Purpose", *(["Staff"] if show_staff else [])]


def rows(lines: Iterable[Line], names: dict[str, str], show_staff: bool) -> list[list[str]]:
    return [[line.occurred_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M"), names.get(line.organisation, line.organisation),
             line.what, line.purpose, *([line.staff or ""] if show_staff else [])] for line in lines]


def history_csv(table: list[list[str]], show_staff: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(show_staff))
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in table])
    return out.getvalue().encode("utf-8")


def history_xlsx(table: list[list[str]], show_staff: bool) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("Access history")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, header(show_staff), bold)
    for n, row in enumerate(table, start=1):
        sheet.write_row(n, 0, row)
    sheet.set_column(0, 4, 28)
    workbook.close()
    return buffer.getvalue()
