"""A validation report as the submissions app keeps it: JSON rows plus a summary, and its CSV.

The report is kept with the submission so the status page and the CSV download never need the
warehouse. The validator already writes ``[redacted]`` for direct identifiers; this module redacts
them again by column before anything is stored, so a page can never show one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from boroughhub.sources import REDACTED, REPORT_COLUMNS, TABLES, ValidationReport, neutralise_formula

#: Rows kept in the database; the full report is also written as a CSV file beside the uploads.
MAX_STORED_ROWS = 10_000

_DIRECT_IDENTIFIERS: dict[str, frozenset[str]] = {}
for _table in TABLES.values():
    _columns = frozenset(_table.direct_identifiers)
    _DIRECT_IDENTIFIERS[_table.file_name] = _columns
    _DIRECT_IDENTIFIERS[_table.name] = _columns  # a workbook sheet is named after its table


def redacted(row: dict[str, str]) -> dict[str, str]:
    """The row with the value of a direct-identifier column replaced by ``[redacted]``."""
    if row.get("value") and row.get("column") in _DIRECT_IDENTIFIERS.get(row.get("file", ""), frozenset()):
        return {**row, "value": REDACTED}
    return row


def report_record(report: ValidationReport) -> dict[str, Any]:
    """``{"rows": [...], "summary": {...}}``: what the Submission row stores."""
    rows = [redacted(row) for row in report.rows()]
    files = [
        {
            "file": summary.file,
            "rows_read": summary.rows_read,
            "errors": dict(sorted(summary.errors.items())),
            "warnings": dict(sorted(summary.warnings.items())),
        }
        for summary in sorted(report.summaries.values(), key=lambda s: s.file)
    ]
    summary = {
        "passed": report.passed,
        "errors": report.error_count,
        "warnings": report.warning_count,
        "files": files,
        "lines": report.summary_lines(),
        "notes": list(report.notes),
        "rows_total": len(rows),
        "truncated": report.truncated,
    }
    return {"rows": rows[:MAX_STORED_ROWS], "summary": summary}


def report_csv(rows: Iterable[dict[str, str]]) -> str:
    """``validation_report.csv`` from stored rows, every cell formula-neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    for row in rows:
        writer.writerow([neutralise_formula(str(row.get(c, ""))) for c in REPORT_COLUMNS])
    return buffer.getvalue()


def full_report_csv(report: ValidationReport) -> str:
    """The whole report as CSV (not capped at :data:`MAX_STORED_ROWS`), direct identifiers redacted."""
    return report_csv(redacted(row) for row in report.rows())


def report_rich_table(
    rows: list[dict[str, str]], lines: list[str], *, title: str, limit: int = 200
) -> Any:
    """The report as a ``rich`` table, as the CLI prints it (the same columns as the page and CSV)."""
    from rich.markup import escape
    from rich.table import Table

    caption = "\n".join(lines)
    if len(rows) > limit:
        caption += f"\nShowing the first {limit:,} of {len(rows):,} findings; the CSV holds them all."
    table = Table(title=title, caption=caption or None)
    for column in REPORT_COLUMNS[1:]:
        table.add_column(column, overflow="fold")
    for row in rows[:limit]:
        # Supplier values are never read as rich markup, nor as a spreadsheet formula.
        table.add_row(*(escape(neutralise_formula(str(row.get(c, "")))) for c in REPORT_COLUMNS[1:]))
    return table
