"""Checks of one file on its own: header, field counts, row count, and every type check (1.3).

Reads the numbered lines a reader left in ``bh_lines_<table>``, builds the wide text table
(one column per canonical column, trimmed, empty = NULL), runs the type checks in one vectorised
scan, and leaves the typed table ``bh_typed_<table>`` for the row rules and the load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from boroughhub.sources import column_checks as cc
from boroughhub.sources.report import REDACTED, Issue, ValidationReport, shorten
from boroughhub.sources.schema import Column, Table

ISSUES_TABLE = "bh_issues"


def lines_table(table: Table) -> str:
    return f"bh_lines_{table.name}"


def wide_table(table: Table) -> str:
    return f"bh_wide_{table.name}"


def typed_table(table: Table) -> str:
    return f"bh_typed_{table.name}"


@dataclass
class FileCheck:
    header_complete: bool = False
    rows_read: int = 0
    fields_with_values: set[str] = field(default_factory=set)


def read_header(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[int, list[str]] | None:
    row = con.execute(f"SELECT line_no, fields FROM {lines_table(table)} ORDER BY line_no LIMIT 1").fetchone()
    if row is None or row[1] is None:
        return None
    names = [(name or "").replace("\ufeff", "").strip().lower() for name in row[1]]
    return int(row[0]), names


def check_file(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    label: str,
    declared_rows: int | None,
    report: ValidationReport,
    *,
    workbook: bool,
) -> FileCheck:
    """Header, field counts and row count; then the wide text table, type checks and typed table."""
    outcome = FileCheck()
    header = read_header(con, table)
    header_line, names = header if header is not None else (0, [])
    if header is None:
        report.add(Issue(label, "header_missing_column", "The file is empty: it has no header row."))
    positions: dict[str, int] = {}
    for index, name in enumerate(names, start=1):
        if name in positions:
            report.add(
                Issue(
                    label,
                    "header_duplicate_column",
                    f"Column {shorten(name)!r} appears more than once.",
                    line=header_line,
                    column=name,
                )
            )
        elif name in table.column_names:
            positions[name] = index
        else:
            report.add(
                Issue(
                    label,
                    "header_unknown_column",
                    f"Column {shorten(name)!r} is not a column of {table.file_name}.",
                    line=header_line,
                    column=name,
                    value=name[:120],
                )
            )
    missing = [c for c in table.column_names if c not in positions]
    if header is not None:
        for name in missing:
            report.add(
                Issue(
                    label,
                    "header_missing_column",
                    f"The header has no column {name!r}.",
                    line=header_line,
                    column=name,
                )
            )
    outcome.header_complete = not missing
    width = len(names)
    data_rows = con.execute(
        f"SELECT count(*) FROM {lines_table(table)} WHERE line_no > ?", [header_line]
    ).fetchone()
    rows_read = int(data_rows[0]) if data_rows else 0
    report.summary(label).rows_read = rows_read
    outcome.rows_read = rows_read
    declared = declared_rows
    if declared is not None and declared != rows_read:
        report.add(
            Issue(
                label,
                "row_count_mismatch",
                f"The file has {rows_read:,} data rows; manifest.csv says {declared:,}.",
                value=str(rows_read),
            )
        )
    bad_width = f"len(fields) > {width}" if workbook else f"len(fields) <> {width}"
    key = (
        "concat_ws('|', "
        + ", ".join(
            f"NULLIF(trim(fields[{positions[c]}]), '')" if c in positions else "NULL"
            for c in table.primary_key
        )
        + ")"
    )
    columns = ", ".join(
        f"NULLIF(trim(fields[{positions[c.name]}]), '') AS {cc.quote(c.name)}"
        if c.name in positions
        else f"CAST(NULL AS VARCHAR) AS {cc.quote(c.name)}"
        for c in table.columns
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {wide_table(table)} AS
        SELECT line_no, fields IS NULL OR {bad_width} AS bad_width, len(fields) AS n_fields,
               NULLIF({key}, '') AS record_key, {columns}
        FROM {lines_table(table)} WHERE line_no > {header_line}"""
    )
    con.execute(f"DROP TABLE IF EXISTS {lines_table(table)}")
    con.execute(
        f"""INSERT INTO {ISSUES_TABLE}
        SELECT {cc.literal(label)}, line_no, record_key, '', 'field_count', CAST(n_fields AS VARCHAR),
               CASE WHEN n_fields IS NULL THEN 'The quotes on this line are not balanced (RFC 4180).'
                    ELSE 'The row has ' || n_fields || ' fields; the header has {width}.' END
        FROM {wide_table(table)} WHERE bad_width"""
    )
    checks = [check for c in table.columns if c.name in positions for check in cc.checks_for(c)]
    if checks:
        _run_column_checks(con, table, label, checks)
    filled = (
        con.execute(
            "SELECT " + ", ".join(f"count({cc.quote(c)})" for c in positions) + f" FROM {wide_table(table)}"
        ).fetchone()
        if positions
        else None
    )
    if filled is not None:
        outcome.fields_with_values.update(name for name, n in zip(positions, filled, strict=True) if n)
    typed = ", ".join(f"{cc.typed_expression(c)} AS {cc.quote(c.name)}" for c in table.columns)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {typed_table(table)} AS SELECT line_no, record_key, {typed} "
        f"FROM {wide_table(table)} WHERE NOT bad_width"
    )
    con.execute(f"DROP TABLE IF EXISTS {wide_table(table)}")
    return outcome


def _run_column_checks(
    con: duckdb.DuckDBPyConnection, table: Table, label: str, checks: list[cc.ColumnCheck]
) -> None:
    """Every type check of a file in one scan: each row yields the list of checks it fails."""
    failing = ", ".join(
        f"CASE WHEN {ch.predicate} THEN {{'n': {n}, 'v': "
        f"{shown_value(table.column(ch.column), cc.quote(ch.column))}}} END"
        for n, ch in enumerate(checks)
    )
    described = ", ".join(
        f"({n}, {cc.literal(ch.column)}, {cc.literal(ch.rule)}, {cc.literal(ch.message)})"
        for n, ch in enumerate(checks)
    )
    con.execute(
        f"""INSERT INTO {ISSUES_TABLE}
        WITH found AS (
            SELECT line_no, record_key, unnest(list_filter([{failing}], lambda x: x IS NOT NULL)) AS f
            FROM {wide_table(table)} WHERE NOT bad_width
        )
        SELECT {cc.literal(label)}, line_no, record_key, d.column_name, d.rule, f.v, d.message
        FROM found JOIN (VALUES {described}) AS d(n, column_name, rule, message) ON d.n = f.n"""
    )


def shown_value(column: Column | None, expression: str) -> str:
    if column is not None and column.is_direct_identifier:
        return cc.literal(REDACTED)
    return f"CAST({expression} AS VARCHAR)"
