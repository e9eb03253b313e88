"""``manifest.csv`` (``sources.md`` 2): what a submission says it is, checked before any data file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from boroughhub.reference import code_list, codes
from boroughhub.sources.report import Issue
from boroughhub.sources.schema import (
    MANIFEST_COLUMNS,
    MANIFEST_FILE,
    MANIFEST_SUBMISSION_COLUMNS,
    SCHEMA_VERSION,
    SOURCES,
)

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """A date in one of the forms of ``sources.md`` 1.3 (ISO, or day-first D/M/YYYY), years 1900-2100."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Manifest:
    source: str
    supplier_code: str
    extract_period_start: dt.date
    extract_period_end: dt.date
    extracted_on: dt.date
    encoding: str
    row_counts: dict[str, int] = field(default_factory=dict)


def _problem(message: str, *, line: int | None = None, column: str = "", value: str = "") -> Issue:
    return Issue(MANIFEST_FILE, "manifest_invalid", message, line=line, column=column, value=value)


def history_shrunk(manifest: Manifest, previous_period_start: dt.date, previous_version: int) -> Issue | None:
    """Warning ``history_shrunk``: this extract starts later than the accepted version it replaces, so
    the history before it will no longer be held (a warning: a supplier may mean it)."""
    if manifest.extract_period_start <= previous_period_start:
        return None
    return Issue(
        MANIFEST_FILE,
        "history_shrunk",
        f"extract_period_start is later than in the accepted submission version {previous_version} "
        f"({previous_period_start.isoformat()}): history before it will no longer be held.",
        column="extract_period_start",
        value=manifest.extract_period_start.isoformat(),
    )


def read_manifest(path: Path, *, today: dt.date) -> tuple[Manifest | None, list[Issue]]:
    """The manifest and every problem with it; no manifest when it cannot say what the submission is."""
    if not path.is_file():
        return None, [Issue(MANIFEST_FILE, "file_missing", "The submission has no manifest.csv.")]
    data = path.read_bytes()
    if not data.isascii():
        offset = next(i for i, b in enumerate(data) if b > 0x7F)
        line = data.count(b"\n", 0, offset) + 1
        return None, [
            _problem(
                f"manifest.csv must be ASCII-only; byte 0x{data[offset]:02X} at byte offset {offset} "
                f"(line {line}) is not.",
                line=line,
            )
        ]
    reader = csv.reader(io.StringIO(data.decode("ascii")))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return None, [_problem("manifest.csv is empty: it needs a header and one row per data file.")]
    header = [cell.strip().lower() for cell in rows[0]]
    issues = [
        _problem(f"The manifest has no column {name!r}.", column=name)
        for name in MANIFEST_COLUMNS
        if name not in header and name != "encoding"
    ]
    issues += [
        _problem(f"The manifest has a column {name!r} that is not allowed.", column=name)
        for name in header
        if name not in MANIFEST_COLUMNS
    ]
    if issues:
        return None, issues
    records = [
        (line, {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)})
        for line, row in enumerate(rows[1:], start=2)
    ]
    if not records:
        return None, [_problem("The manifest lists no files.")]
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            issues.append(
                _problem(f"Line {line} has {len(row)} fields; the header has {len(header)}.", line=line)
            )
    for name in MANIFEST_SUBMISSION_COLUMNS:
        values = {record.get(name, "") for _, record in records}
        if len(values) > 1:
            issues.append(
                _problem(
                    f"{name} must be the same on every row; found {', '.join(sorted(values))}.", column=name
                )
            )
    first = records[0][1]
    manifest, more = _check_values(first, records, today)
    return manifest, issues + more


def _check_values(
    first: dict[str, str], records: list[tuple[int, dict[str, str]]], today: dt.date
) -> tuple[Manifest | None, list[Issue]]:
    issues: list[Issue] = []
    source = first.get("source", "")
    supplier = first.get("supplier_code", "")
    if source not in codes("source_system"):
        issues.append(
            _problem(
                f"Unknown source {source!r}; expected chain, inform or hclic.", column="source", value=source
            )
        )
    suppliers = {row["code"]: row for row in code_list("suppliers")}
    if supplier not in suppliers:
        issues.append(
            _problem(
                f"Unknown supplier_code {supplier!r} (see suppliers.csv).",
                column="supplier_code",
                value=supplier,
            )
        )
    elif source in SOURCES and source not in suppliers[supplier]["sources"].split("|"):
        issues.append(
            _problem(
                f"Supplier {supplier} is not registered to supply {source} (it supplies "
                f"{suppliers[supplier]['sources'].replace('|', ', ')}).",
                column="supplier_code",
                value=supplier,
            )
        )
    dates: dict[str, dt.date] = {}
    for name in ("extract_period_start", "extract_period_end", "extracted_on"):
        parsed = parse_date(first.get(name, ""))
        if parsed is None:
            issues.append(
                _problem(f"{name} is not a valid date (YYYY-MM-DD).", column=name, value=first.get(name, ""))
            )
        else:
            dates[name] = parsed
    if len(dates) == 3:
        start, end, extracted = (
            dates["extract_period_start"],
            dates["extract_period_end"],
            dates["extracted_on"],
        )
        if end < start:
            issues.append(
                _problem("extract_period_end is before extract_period_start.", column="extract_period_end")
            )
        if extracted < end:
            issues.append(_problem("extracted_on is before extract_period_end.", column="extracted_on"))
        if extracted > today:
            issues.append(
                _problem(
                    f"extracted_on is after today ({today.isoformat()}).",
                    column="extracted_on",
                    value=extracted.isoformat(),
                )
            )
    if first.get("schema_version", "") != "1.0":
        issues.append(
            _problem(
                f"schema_version must be {SCHEMA_VERSION}.",
                column="schema_version",
                value=first.get("schema_version", ""),
            )
        )
    encoding = first.get("encoding", "") or "utf-8"
    if encoding not in codes("file_encoding"):
        issues.append(
            _problem("encoding must be empty, utf-8 or windows-1252.", column="encoding", value=encoding)
        )
    row_counts, more = _check_file_rows(source, records)
    issues += more
    if source not in SOURCES or len(dates) < 3 or encoding not in codes("file_encoding"):
        return None, issues
    # Usable for checking the data files even when it has other problems: the report then lists
    # both, and the submission is refused either way.
    return (
        Manifest(
            source,
            supplier,
            dates["extract_period_start"],
            dates["extract_period_end"],
            dates["extracted_on"],
            encoding,
            row_counts,
        ),
        issues,
    )


def _check_file_rows(
    source: str, records: list[tuple[int, dict[str, str]]]
) -> tuple[dict[str, int], list[Issue]]:
    issues: list[Issue] = []
    expected = {t.file_name for t in SOURCES.get(source, ())}
    row_counts: dict[str, int] = {}
    for line, record in records:
        name, count = record.get("file_name", ""), record.get("row_count", "")
        if expected and name not in expected:
            issues.append(
                _problem(f"{name!r} is not a file of {source}.", line=line, column="file_name", value=name)
            )
        elif name in row_counts:
            issues.append(_problem(f"{name} is listed twice.", line=line, column="file_name", value=name))
        if not re.fullmatch(r"[0-9]+", count):
            issues.append(
                _problem(
                    "row_count must be a whole number of data rows.",
                    line=line,
                    column="row_count",
                    value=count,
                )
            )
        else:
            row_counts[name] = int(count)
    for name in sorted(expected - {record.get("file_name", "") for _, record in records}):
        issues.append(_problem(f"The manifest does not list {name}.", column="file_name", value=name))
    return row_counts, issues
