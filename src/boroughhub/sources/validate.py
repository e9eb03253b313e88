"""Validate a submission folder against ``sources.md`` 6: every file checked completely, in DuckDB.

The flow per file: encoding (1.2) -> numbered lines -> header -> a wide text table (one column per
canonical column, trimmed, empty = NULL) -> per-column type checks -> a typed table. Then the row
rules across fields and files run on the typed tables. Every finding lands in one DuckDB table and
becomes the :class:`ValidationReport`. The typed tables stay on the connection as temp tables: a
submission that passes is loaded from them by :mod:`boroughhub.warehouse.load` without re-reading.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from boroughhub.sources import column_checks as cc
from boroughhub.sources.encoding import DecodedFile, check_encoding
from boroughhub.sources.manifest import Manifest, read_manifest
from boroughhub.sources.readers import UnreadableFile, read_csv_lines, read_rows, read_workbook
from boroughhub.sources.report import REDACTED, Issue, ValidationReport
from boroughhub.sources.rules import AGE_MACRO, RowRule, rules_for
from boroughhub.sources.schema import MANIFEST_FILE, Column, Table, tables_of
from boroughhub.sources.submission_files import SubmissionFiles, file_sha256, locate_files, presence_issues

Progress = Callable[[str, float], None]


def _no_progress(message: str, fraction: float) -> None:
    """Default progress callback: says nothing."""


@dataclass
class ValidatedSubmission:
    """What validation found, and what a load needs: the typed tables left on the connection."""

    report: ValidationReport
    manifest: Manifest | None = None
    typed_tables: dict[str, str] = field(default_factory=dict)
    fields_with_values: set[str] = field(default_factory=set)
    file_hashes: dict[str, str] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.report.passed and self.manifest is not None


@dataclass
class _FileState:
    table: Table
    label: str
    read: bool = False
    header_complete: bool = False


ISSUES_TABLE = "bh_issues"


def lines_table(table: Table) -> str:
    return f"bh_lines_{table.name}"


def wide_table(table: Table) -> str:
    return f"bh_wide_{table.name}"


def typed_table(table: Table) -> str:
    return f"bh_typed_{table.name}"


def validate_submission(
    folder: Path,
    con: duckdb.DuckDBPyConnection | None = None,
    *,
    submission_id: str = "",
    today: dt.date | None = None,
    previous_period_start: dt.date | None = None,
    progress: Progress | None = None,
    max_issues: int = 100_000,
) -> ValidatedSubmission:
    """Check a submission folder and return its report (and, on ``con``, its typed tables)."""
    con = con if con is not None else duckdb.connect()
    today = today or dt.date.today()
    say = progress or _no_progress
    report = ValidationReport(submission_id=submission_id, max_issues=max_issues)
    result = ValidatedSubmission(report)
    files = locate_files(folder)
    say("Reading manifest.csv", 0.0)
    manifest, manifest_issues = read_manifest(folder / MANIFEST_FILE, today=today)
    report.extend(manifest_issues)
    if files.manifest is not None:
        result.file_hashes[MANIFEST_FILE] = file_sha256(files.manifest)
    if manifest is None:  # without it the files cannot be checked: what source, which period?
        return result
    result.manifest = manifest
    tables = tables_of(manifest.source)
    report.extend(presence_issues(files, tables))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ISSUES_TABLE} (file VARCHAR, line BIGINT, record_key VARCHAR, "
        "column_name VARCHAR, rule VARCHAR, value VARCHAR, message VARCHAR)"
    )
    cc.load_code_lists(con)
    con.execute(AGE_MACRO)
    states = _read_files(con, files, manifest, tables, report, result, say)
    usable = {s.table.name for s in states if s.read and s.header_complete}
    placeholders = {t.name: typed_table(t) for t in tables} | {
        "S": f"DATE '{manifest.extract_period_start.isoformat()}'",
        "E": f"DATE '{manifest.extract_period_end.isoformat()}'",
        "X": f"DATE '{manifest.extracted_on.isoformat()}'",
    }
    for index, state in enumerate(states):
        if state.table.name not in usable:
            continue
        say(f"Checking rules of {state.label}", 0.6 + 0.3 * index / len(states))
        _run_row_rules(con, state, usable, placeholders)
    if previous_period_start is not None and manifest.extract_period_start > previous_period_start:
        report.add(
            Issue(
                MANIFEST_FILE,
                "history_shrunk",
                f"extract_period_start is later than in the previous accepted submission "
                f"({previous_period_start.isoformat()}): history before it will no longer be held.",
                column="extract_period_start",
                value=manifest.extract_period_start.isoformat(),
            )
        )
    _collect_issues(con, report)
    result.typed_tables = {t.name: typed_table(t) for t in tables if t.name in usable}
    say("Validation finished", 1.0)
    return result


def _read_files(
    con: duckdb.DuckDBPyConnection,
    files: SubmissionFiles,
    manifest: Manifest,
    tables: tuple[Table, ...],
    report: ValidationReport,
    result: ValidatedSubmission,
    say: Progress,
) -> list[_FileState]:
    states: list[_FileState] = []
    sheets = None
    if files.workbook is not None:
        result.file_hashes[files.workbook.name] = file_sha256(files.workbook)
        try:
            sheets = read_workbook(files.workbook)
        except UnreadableFile as error:
            report.add(
                Issue(files.workbook.name, "encoding_invalid", f"The workbook cannot be used: {error}.")
            )
            return [_FileState(t, t.name) for t in tables]
        expected = {t.name for t in tables}
        for name in sorted(set(sheets) - expected):
            report.add(Issue(name, "file_unexpected", f"Sheet {name!r} is not a file of this source."))
    with tempfile.TemporaryDirectory(prefix="boroughhub-validate-") as scratch:
        for index, table in enumerate(tables):
            say(f"Reading {table.file_name}", 0.05 + 0.55 * index / len(tables))
            if sheets is not None:
                state = _FileState(table, table.name)
                sheet = sheets.get(table.name)
                if sheet is None:
                    report.add(
                        Issue(table.name, "file_missing", f"The workbook has no sheet named {table.name}.")
                    )
                    states.append(state)
                    continue
                read_rows(con, sheet.rows, lines_table(table))
                _report_formulas(sheet.formula_cells, state, report)
            else:
                state = _FileState(table, table.file_name)
                path = files.csv_files.get(table.file_name)
                if path is None:
                    states.append(state)
                    continue
                result.file_hashes[table.file_name] = file_sha256(path)
                decoded = check_encoding(path, table.file_name, manifest.encoding, Path(scratch))
                if isinstance(decoded, Issue):
                    report.add(decoded)
                    states.append(state)
                    continue
                _note_transcoding(decoded, table, report)
                try:
                    read_csv_lines(con, decoded.path, lines_table(table))
                except duckdb.Error as error:
                    report.add(
                        Issue(table.file_name, "field_count", f"The file cannot be split into lines: {error}")
                    )
                    states.append(state)
                    continue
            state.read = True
            _check_structure(con, state, manifest, report, result, workbook=sheets is not None)
            states.append(state)
    return states


def _note_transcoding(decoded: DecodedFile, table: Table, report: ValidationReport) -> None:
    if decoded.transcoded_from:
        report.notes.append(
            f"{table.file_name} was transcoded from {decoded.transcoded_from} to UTF-8, as the manifest declares."
        )


def _report_formulas(cells: list[str], state: _FileState, report: ValidationReport) -> None:
    if cells:
        shown = ", ".join(cells[:10]) + (" …" if len(cells) > 10 else "")
        report.add(
            Issue(
                state.label,
                "bad_text",
                f"{len(cells)} cell(s) hold formulas ({shown}); send values, not formulas "
                "(copy and paste as values, or export as CSV).",
                value=cells[0],
            ),
        )


def _header(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[int, list[str]] | None:
    row = con.execute(f"SELECT line_no, fields FROM {lines_table(table)} ORDER BY line_no LIMIT 1").fetchone()
    if row is None or row[1] is None:
        return None
    names = [(name or "").replace("\ufeff", "").strip().lower() for name in row[1]]
    return int(row[0]), names


def _check_structure(
    con: duckdb.DuckDBPyConnection,
    state: _FileState,
    manifest: Manifest,
    report: ValidationReport,
    result: ValidatedSubmission,
    *,
    workbook: bool,
) -> None:
    """Header, field counts and row count; then the wide text table, type checks and typed table."""
    table, label = state.table, state.label
    header = _header(con, table)
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
                    f"Column {name!r} appears more than once.",
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
                    f"Column {name!r} is not a column of {table.file_name}.",
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
    state.header_complete = not missing
    width = len(names)
    data_rows = con.execute(
        f"SELECT count(*) FROM {lines_table(table)} WHERE line_no > ?", [header_line]
    ).fetchone()
    rows_read = int(data_rows[0]) if data_rows else 0
    report.summary(label).rows_read = rows_read
    result.row_counts[table.file_name] = rows_read
    declared = manifest.row_counts.get(table.file_name)
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
        result.fields_with_values.update(name for name, n in zip(positions, filled, strict=True) if n)
    typed = ", ".join(f"{cc.typed_expression(c)} AS {cc.quote(c.name)}" for c in table.columns)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {typed_table(table)} AS SELECT line_no, record_key, {typed} "
        f"FROM {wide_table(table)} WHERE NOT bad_width"
    )
    con.execute(f"DROP TABLE IF EXISTS {wide_table(table)}")


def _run_column_checks(
    con: duckdb.DuckDBPyConnection, table: Table, label: str, checks: list[cc.ColumnCheck]
) -> None:
    """Every type check of a file in one scan: each row yields the list of checks it fails."""
    failing = ", ".join(
        f"CASE WHEN {ch.predicate} THEN {{'n': {n}, 'v': "
        f"{_shown(table.column(ch.column), cc.quote(ch.column))}}} END"
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


def _run_row_rules(
    con: duckdb.DuckDBPyConnection, state: _FileState, usable: set[str], placeholders: dict[str, str]
) -> None:
    """Rules on one row of the file run in one scan; rules that join other rows run one query each."""
    table = state.table
    single: list[RowRule] = []
    selects = []
    for rule in rules_for(table):
        if not rule.tables_needed() <= usable:
            continue
        if rule.joins:
            column = table.column(rule.column) if rule.column in table.column_names else None
            selects.append(
                f"SELECT {cc.literal(state.label)}, line_no, record_key, {cc.literal(rule.column)}, "
                f"{cc.literal(rule.rule)}, {_shown(column, 'value')}, {cc.literal(rule.message)} "
                f"FROM ({rule.sql.format(t=typed_table(table), **placeholders)})"
            )
        else:
            single.append(rule)
    if single:
        names = {"t": typed_table(table), **placeholders}
        failing = ", ".join(
            f"CASE WHEN {rule.condition.format(**names)} THEN {{'n': {n}, 'v': "
            f"{_shown(table.column(rule.column) if rule.column in table.column_names else None, rule.shown.format(**names))}}} END"
            for n, rule in enumerate(single)
        )
        described = ", ".join(
            f"({n}, {cc.literal(r.column)}, {cc.literal(r.rule)}, {cc.literal(r.message)})"
            for n, r in enumerate(single)
        )
        selects.append(
            f"""SELECT {cc.literal(state.label)}, line_no, record_key, d.column_name, d.rule, f.v, d.message
            FROM (SELECT line_no, record_key, unnest(list_filter([{failing}], lambda x: x IS NOT NULL)) AS f
                  FROM {typed_table(table)} t)
            JOIN (VALUES {described}) AS d(n, column_name, rule, message) ON d.n = f.n"""
        )
    if selects:
        con.execute(f"INSERT INTO {ISSUES_TABLE} " + " UNION ALL ".join(selects))


def _shown(column: Column | None, expression: str) -> str:
    if column is not None and column.is_direct_identifier:
        return cc.literal(REDACTED)
    return f"CAST({expression} AS VARCHAR)"


def _collect_issues(con: duckdb.DuckDBPyConnection, report: ValidationReport) -> None:
    for file, rule, count in con.execute(
        f"SELECT file, rule, count(*) FROM {ISSUES_TABLE} GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        report.count(file, rule, int(count))
    room = max(report.max_issues - len(report.issues), 0)
    rows = con.execute(
        f"SELECT file, line, record_key, column_name, rule, {cc.echoed_value(None, 'value')}, message "
        f"FROM {ISSUES_TABLE} "
        f"ORDER BY file, line, column_name, rule LIMIT {room}"
    ).fetchall()
    total = sum(sum(s.errors.values()) + sum(s.warnings.values()) for s in report.summaries.values())
    for file, line, record_key, column, rule, value, message in rows:
        report.issues.append(
            Issue(
                file,
                rule,
                message,
                line=line,
                record_key=record_key or "",
                column=column or "",
                value=value or "",
            )
        )
    if len(report.issues) < total:
        report.truncated = True
