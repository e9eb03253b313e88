"""Reading the CSV files a spec names: RFC 4180, UTF-8, header row, and no spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from boroughhub.evaluation.spec import SpecIssue, SpecReport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_csv(base: Path, name: str, required: list[str], report: SpecReport,
             spec_path: str, missing_code: str = "survey_column_missing") -> list[dict[str, str]] | None:
    """Rows as dicts (row 1 = first data row), or None after recording why the file is refused.

    A cell starting with ``=``, ``+``, ``-`` or ``@`` is refused (``csv_formula_cell``): such cells
    run as formulas when the file, or an export made from it, is opened in a spreadsheet.
    """
    path = base / name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        report.issues.append(SpecIssue("error", "file_missing", None, spec_path, None, None, name,
                                   f"{name} is named in the spec but was not supplied: upload it with the spec "
                                   "(on the command line, put it next to the spec), or remove the section that "
                                   "names it"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        report.issues.append(SpecIssue("error", "csv_unreadable", name, None, None, None, None,
                                   f"{name} cannot be read as UTF-8 CSV: {exc}"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        report.issues.append(SpecIssue("error", "csv_unreadable", name, None, None, None, None, f"{name}: {exc}"))
        return None
    if not rows:
        report.issues.append(SpecIssue("error", "csv_header_invalid", name, None, None, None, None,
                                   f"{name} is empty: a header row is required"))
        return None
    header = [h.strip() for h in rows[0]]
    ok = True
    if len(set(header)) != len(header) or any(not h for h in header):
        report.issues.append(SpecIssue("error", "csv_header_invalid", name, None, None, None, None,
                                   f"{name}: header names must be unique and non-empty"))
        ok = False
    for col in required:
        if col not in header:
            report.issues.append(SpecIssue("error", missing_code, name, None, None, col, None,
                                       f"{name} has no column {col!r}"))
            ok = False
    out: list[dict[str, str]] = []
    for i, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.issues.append(SpecIssue("error", "csv_row_length", name, None, i, None, None,
                                       f"{name} row {i} has {len(row)} cells; the header has {len(header)}"))
            continue
        record = {}
        for col, cell in zip(header, row, strict=True):
            if cell.startswith(FORMULA_START):
                report.issues.append(SpecIssue("error", "csv_formula_cell", name, None, i, col, cell[:40],
                                           f"{name} row {i}, column {col}: cells must not start with "
                                           "=, +, -, @ (spreadsheet formula)"))
            record[col] = cell.strip()
        out.append(record)
    return out if ok else None
