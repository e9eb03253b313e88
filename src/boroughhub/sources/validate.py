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
from boroughhub.sources.file_checks import ISSUES_TABLE, check_file, lines_table, shown_value, typed_table
from boroughhub.sources.manifest import Manifest, read_manifest
from boroughhub.sources.readers import UnreadableFile, read_csv_lines, read_rows, read_workbook
from boroughhub.sources.report import MAX_FINDINGS_PER_RULE, Issue, ValidationReport
from boroughhub.sources.rules import AGE_MACRO, RowRule, rules_for
from boroughhub.sources.schema import MANIFEST_FILE, Table, tables_of
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
    #: The same per file (or workbook sheet), as the report names it: what a refusal tells to empty.
    fields_by_file: dict[str, set[str]] = field(default_factory=dict)
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


def validate_submission(
    folder: Path,
    con: duckdb.DuckDBPyConnection | None = None,
    *,
    submission_id: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
    max_issues: int = 100_000,
    max_per_rule: int = MAX_FINDINGS_PER_RULE,
) -> ValidatedSubmission:
    """Check a submission folder and return its report (and, on ``con``, its typed tables)."""
    if con is None:
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
    today = today or dt.date.today()
    say = progress or _no_progress
    report = ValidationReport(submission_id=submission_id, max_issues=max_issues, max_per_rule=max_per_rule)
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
            checked = check_file(
                con,
                table,
                state.label,
                manifest.row_counts.get(table.file_name),
                report,
                workbook=sheets is not None,
            )
            state.header_complete = checked.header_complete
            result.row_counts[table.file_name] = checked.rows_read
            result.fields_with_values |= checked.fields_with_values
            result.fields_by_file[state.label] = set(checked.fields_with_values)
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
                f"{cc.literal(rule.rule)}, {shown_value(column, 'value')}, {cc.literal(rule.message)} "
                f"FROM ({rule.sql.format(t=typed_table(table), **placeholders)})"
            )
        else:
            single.append(rule)
    if single:
        names = {"t": typed_table(table), **placeholders}
        failing = ", ".join(
            f"CASE WHEN {rule.condition.format(**names)} THEN {{'n': {n}, 'v': "
            f"{shown_value(table.column(rule.column) if rule.column in table.column_names else None, rule.shown.format(**names))}}} END"
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


def _collect_issues(con: duckdb.DuckDBPyConnection, report: ValidationReport) -> None:
    for file, rule, count in con.execute(
        f"SELECT file, rule, count(*) FROM {ISSUES_TABLE} GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        report.count(file, rule, int(count))
    room = max(report.max_issues - len(report.issues), 0)
    # Only the first findings of each rule in each file leave DuckDB: a million bad dates are counted
    # above, listed up to the per-rule cap.
    rows = con.execute(
        f"SELECT file, line, record_key, column_name, rule, {cc.echoed_value(None, 'value')}, message "
        f"FROM {ISSUES_TABLE} "
        f"QUALIFY row_number() OVER (PARTITION BY file, rule ORDER BY line, column_name) <= {int(report.max_per_rule)} "
        f"ORDER BY file, line, column_name, rule LIMIT {room}"
    ).fetchall()
    total = sum(sum(s.errors.values()) + sum(s.warnings.values()) for s in report.summaries.values())
    for file, line, record_key, column, rule, value, message in rows:
        report.list_counted(
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
