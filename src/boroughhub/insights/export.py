"""Downloads of ``metric_values``: CSV, and XLSX with a notes sheet (definitions, parameters, data
coverage, as_at). Disclosure control is applied unless the caller asks for unrounded figures (8.4)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import xlsxwriter

from boroughhub.insights.definitions import DEFINITIONS
from boroughhub.insights.disclosure import publish
from boroughhub.insights.output import OUTPUT_COLUMNS
from boroughhub.insights.sql import in_list

XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
CAVEAT = ("People who approached a council outside London, or a London council not supplying H-CLIC, "
          "are counted as not approached (lk_prev_*).")  # fmt: skip
MARKERS = "[c] suppressed to protect individuals; [x] not available; [z] not applicable."


@dataclass(frozen=True)
class Selection:
    """Which rows to export; empty means all. Fixed geographies and periods only (R8)."""

    metrics: Sequence[str] = ()
    period_types: Sequence[str] = ()
    periods: Sequence[str] = ()
    areas: Sequence[str] = ()

    def where(self) -> str:
        tests = [f"{column} IN {in_list(values)}" for column, values in (
            ("metric", self.metrics), ("period_type", self.period_types), ("period", self.periods),
            ("area_code", self.areas)) if values]  # fmt: skip
        return " AND ".join(tests) or "TRUE"


def published_rows(
    con: duckdb.DuckDBPyConnection, selection: Selection, *, unrounded: bool, min_cell_size: int | None = None
) -> Iterator[dict[str, str]]:
    """Rows of ``main.metric_values`` in a stable order, published period by period (blocks of a period
    are self-contained for disclosure control, so memory holds one period at a time)."""
    where = selection.where()
    periods = con.execute(
        f"SELECT DISTINCT period_type, period FROM main.metric_values WHERE {where} ORDER BY 1, 2"
    ).fetchall()
    columns = ", ".join(OUTPUT_COLUMNS)
    for period_type, period in periods:
        cursor = con.execute(
            f"SELECT {columns} FROM main.metric_values WHERE {where} AND period_type = ? AND period = ? "
            "ORDER BY metric, variant, area_code, breakdown, breakdown_value, measure",
            [period_type, period],
        )
        rows = [dict(zip(OUTPUT_COLUMNS, r, strict=True)) for r in cursor.fetchall()]
        yield from publish(rows, unrounded=unrounded, min_cell_size=min_cell_size)


def export_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    selection: Selection = Selection(),
    *,
    unrounded: bool,
    min_cell_size: int | None = None,
) -> int:
    """Write the selected rows to ``path`` as CSV (the columns of 7); returns the number of rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in published_rows(con, selection, unrounded=unrounded, min_cell_size=min_cell_size):
            writer.writerow(row)
            count += 1
    return count


def notes(con: duckdb.DuckDBPyConnection, *, unrounded: bool) -> list[tuple[str, str, str]]:
    """(section, item, text) rows of the notes sheet."""
    rows: list[tuple[str, str, str]] = []
    run = con.execute("SELECT as_at, history_start, parameters, computed_at FROM main.metric_run").fetchone()
    if run:
        rows.append(("Run", "as_at", str(run[0])))
        rows.append(("Run", "history_start", str(run[1])))
        rows.append(("Run", "computed_at", str(run[3])))
        rows += [("Parameter", name, str(value)) for name, value in json.loads(run[2]).items()]
    rows.append(("Figures", "disclosure control", "none: unrounded (restricted)" if unrounded else
                 "metrics.md section 8 applied (suppression, rounding)"))  # fmt: skip
    rows.append(("Figures", "markers", MARKERS))
    rows.append(("Figures", "caveat", CAVEAT))
    coverage = con.execute(
        "SELECT source, supplier_code, extract_period_start, extract_period_end FROM main.submissions "
        "WHERE submission_id IN (SELECT submission_id FROM main.chain_people UNION SELECT submission_id "
        "FROM main.inform_clients UNION SELECT submission_id FROM main.hclic_cases) ORDER BY 1, 2"
    ).fetchall()
    rows += [("Data coverage", f"{source} {supplier}", f"{start} to {end}") for source, supplier, start, end in coverage]
    rows += [("Definition", metric, text) for metric, text in DEFINITIONS.items()]
    return rows


def export_xlsx(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    selection: Selection = Selection(),
    *,
    unrounded: bool,
    min_cell_size: int | None = None,
) -> int:
    """Write the selected rows and a notes sheet to an XLSX workbook; returns the number of data rows.

    Raises ValueError if the selection has more rows than a worksheet holds: narrow the selection.
    """
    total = con.execute(f"SELECT count(*) FROM main.metric_values WHERE {selection.where()}").fetchone()
    if total and total[0] > XLSX_MAX_ROWS:
        raise ValueError(f"{total[0]:,} rows do not fit a worksheet ({XLSX_MAX_ROWS:,}); select fewer rows")
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        sheet = workbook.add_worksheet("metric_values")
        sheet.write_row(0, 0, OUTPUT_COLUMNS)
        count = 0
        for count, row in enumerate(
            published_rows(con, selection, unrounded=unrounded, min_cell_size=min_cell_size), start=1
        ):
            values: list[str | float] = [row[c] for c in OUTPUT_COLUMNS]
            number = _as_number(row["value"])
            if number is not None:
                values[OUTPUT_COLUMNS.index("value")] = number
            sheet.write_row(count, 0, values)
        notes_sheet = workbook.add_worksheet("notes")
        notes_sheet.write_row(0, 0, ("section", "item", "text"))
        for i, note in enumerate(notes(con, unrounded=unrounded), start=1):
            notes_sheet.write_row(i, 0, note)
    finally:
        workbook.close()
    return count


def _as_number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None
