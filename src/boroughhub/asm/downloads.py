"""The findings register as CSV and XLSX: the same table, spreadsheet-safe (no cell runs as a formula)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter

from boroughhub.audit import spreadsheet_safe


def as_csv(table: Sequence[Sequence[str | int]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table:
        writer.writerow([cell if isinstance(cell, int) else spreadsheet_safe(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(table: Sequence[Sequence[str | int]], sheet: str = "Findings") -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True})
    for r, row in enumerate(table):
        for c, cell in enumerate(row):
            if isinstance(cell, int):
                worksheet.write_number(r, c, cell)
            else:
                worksheet.write_string(r, c, cell, bold if r == 0 else None)
    workbook.close()
    return buffer.getvalue()
