"""Damaged zips and workbooks are refused with a reason, never an exception the page turns into a failure."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import duckdb

from boroughhub.sources import validate_submission
from tests.sources.builders import write_workbook

TODAY = dt.date(2025, 6, 1)


def break_deflate_stream(path: Path, member_part: str) -> None:
    """Flip bytes at the start of a member's compressed data: its deflate stream no longer decodes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if member_part in i.filename)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(3):
        data[start + offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_workbook_with_a_broken_deflate_stream_is_refused_with_a_reason(tmp_path: Path) -> None:
    folder = write_workbook(tmp_path, "hclic")
    (workbook,) = folder.glob("*.xlsx")
    break_deflate_stream(workbook, "sheet1")
    report = validate_submission(folder, duckdb.connect(), today=TODAY).report
    (issue,) = [i for i in report.issues if i.rule == "encoding_invalid"]
    assert issue.file == workbook.name and "is damaged" in issue.message
    assert "save or export the workbook again" in issue.message
