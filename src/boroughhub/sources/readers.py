"""Read a CSV file or a workbook sheet into DuckDB as numbered lines of text fields.

Every reader produces the same staging table, ``(line_no BIGINT, fields VARCHAR[])``, one row per
non-blank physical line (header = line 1; for a workbook, the sheet's row number), so the validator
never cares where a row came from and always reports the line a supplier can find in their file.

CSV files are split by DuckDB itself: one pass reads whole lines (``sources.md`` 1.1 forbids line
breaks inside fields), lines without a quote are split on commas in SQL, and only lines with a quote
go through Python's RFC 4180 parser. A million-row file stays within a few seconds.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import duckdb.func
import pyarrow as pa

#: Longest physical line read; far above any valid row, so a 10 MB cell is read and reported.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: A workbook may not unpack to more than this, nor any part of it expand more than the ratio.
MAX_WORKBOOK_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
_RATIO_CHECK_FROM_BYTES = 1024 * 1024


class UnreadableFile(Exception):
    """A file that cannot be read at all (not a workbook, a zip bomb, truncated): refused whole."""


def _parse_quoted_lines(lines: pa.Array) -> pa.Array:
    """RFC 4180 fields of lines that contain a quote; NULL for a line whose quoting is broken."""
    texts = lines.to_pylist()
    try:
        rows = list(csv.reader(texts, strict=True))
        if len(rows) == len(texts):  # rows only ever merge across lines, so equal counts mean none did
            return pa.array(rows, type=pa.list_(pa.string()))
    except csv.Error:
        pass
    parsed: list[list[str] | None] = []
    for line in texts:
        try:
            rows = list(csv.reader([line], strict=True))
            parsed.append(rows[0] if len(rows) == 1 else None)
        except csv.Error:
            parsed.append(None)
    return pa.array(parsed, type=pa.list_(pa.string()))


def _ensure_csv_parser(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.NotImplementedException):  # already registered on this connection
        con.create_function(
            "bh_csv_fields",
            _parse_quoted_lines,
            [duckdb.sqltype("VARCHAR")],
            duckdb.list_type(duckdb.sqltype("VARCHAR")),
            type=duckdb.func.ARROW,
            null_handling=duckdb.func.SPECIAL,
        )


def read_csv_lines(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> None:
    """Create temp table ``table`` with the numbered lines of a UTF-8 CSV file, split into fields."""
    _ensure_csv_parser(con)
    quoted_path = str(path).replace("'", "''")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH raw AS (
            SELECT row_number() OVER () AS line_no, raw
            FROM read_csv('{quoted_path}', columns = {{'raw': 'VARCHAR'}}, header = false,
                          delim = '\\x01', quote = '', escape = '', auto_detect = false,
                          strict_mode = false, max_line_size = {MAX_LINE_BYTES})
        )
        SELECT line_no,
               CASE WHEN strpos(raw, '"') = 0 THEN string_split(raw, ',') ELSE bh_csv_fields(raw) END
                   AS fields
        FROM raw
        WHERE raw IS NOT NULL AND raw <> ''
        """
    )


def read_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[int, list[str]]], table: str) -> None:
    """Create temp table ``table`` from already-read rows ``(line_no, fields)``, e.g. a workbook sheet."""
    arrow = pa.table(
        {
            "line_no": pa.array([r[0] for r in rows], type=pa.int64()),
            "fields": pa.array([r[1] for r in rows], type=pa.list_(pa.string())),
        }
    )
    con.register("bh_rows_view", arrow)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM bh_rows_view")
    finally:
        con.unregister("bh_rows_view")


# --- Workbooks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookSheet:
    name: str
    rows: list[tuple[int, list[str]]]
    formula_cells: list[str]


#: What reading a damaged zip member raises: a CRC or size that does not match the data (a false
#: declared size, a truncated upload), a broken deflate stream, an encrypted or unknown method.
DAMAGED_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def check_zip_safe(path: Path, *, max_unpacked: int = MAX_WORKBOOK_UNPACKED_BYTES) -> zipfile.ZipFile:
    """Open a zip only if it is one, is complete, and does not unpack to something huge (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile(f"not a readable zip container ({error})") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > max_unpacked:
            archive.close()
            raise UnreadableFile(f"it would unpack to more than {max_unpacked:,} bytes (a zip bomb?)")
        if info.file_size > _RATIO_CHECK_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            archive.close()
            raise UnreadableFile(
                f"part {info.filename!r} expands {info.file_size // max(info.compress_size, 1):,}-fold "
                "(a zip bomb?)"
            )
    return archive


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_SHEET_ENTRY = re.compile(r'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?(?:r:)?id="([^"]*)"')
_RELATIONSHIP = re.compile(r'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_RELATIONSHIP_REVERSED = re.compile(r'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')


def _formula_cells(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Cells holding formulas, per sheet name: a workbook must carry values, not calculations."""
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = dict(_RELATIONSHIP.findall(rels))
    targets.update((rid, target) for target, rid in _RELATIONSHIP_REVERSED.findall(rels))
    found: dict[str, list[str]] = {}
    for name, rid in _SHEET_ENTRY.findall(workbook):
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        try:
            xml = archive.read(part)
        except KeyError:
            continue
        cells = [ref.decode() for ref in _FORMULA_CELL.findall(xml)]
        if cells:
            found[name] = cells
    return found


def read_workbook(path: Path) -> dict[str, WorkbookSheet]:
    """Every sheet of an ``.xlsx`` workbook as text rows, after the zip-bomb and truncation guards."""
    from python_calamine import CalamineWorkbook

    with check_zip_safe(path) as archive:
        try:
            bad = archive.testzip()
            formulas = _formula_cells(archive)
        except DAMAGED_ZIP_ERRORS as error:  # testzip catches a bad CRC only, not a broken stream
            raise UnreadableFile(f"it is damaged ({error}); save or export the workbook again") from None
        if bad is not None:
            raise UnreadableFile(f"part {bad!r} is damaged (truncated file?)")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets: dict[str, WorkbookSheet] = {}
        for name in workbook.sheet_names:
            cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows: list[tuple[int, list[str]]] = []
            for index, row in enumerate(cells, start=1):
                texts = [_cell_text(v) for v in row]
                while texts and texts[-1] == "":
                    texts.pop()
                if texts:
                    rows.append((index, texts))
            sheets[name] = WorkbookSheet(name, rows, formulas.get(name, []))
    except Exception as error:  # calamine raises several types for damaged workbooks
        raise UnreadableFile(f"the workbook cannot be read ({type(error).__name__}: {error})") from None
    return sheets
