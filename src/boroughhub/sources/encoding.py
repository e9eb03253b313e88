"""Encoding rules of ``sources.md`` 1.2: UTF-8 or refused, and Windows-1252 only when declared.

Nothing is transcoded silently. A file that is not UTF-8 is refused with the line and byte offset
of the first bad sequence; if it looks like a Windows-1252 export the message says so and tells the
supplier how to fix it. Only a manifest that declares ``windows-1252`` makes the hub transcode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from boroughhub.sources.report import Issue

UTF8 = "utf-8"
WINDOWS_1252 = "windows-1252"

_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UNDEFINED_IN_1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


@dataclass(frozen=True)
class DecodedFile:
    """A CSV file known to be UTF-8: the original, or a transcoded copy when the manifest asked for it."""

    path: Path
    transcoded_from: str | None = None


def _position(data: bytes, offset: int) -> tuple[int, str]:
    line = data.count(b"\n", 0, offset) + 1
    return line, f"0x{data[offset]:02X}"


def _first_undefined_in_1252(data: bytes) -> int | None:
    found = [data.find(bytes([byte])) for byte in _UNDEFINED_IN_1252]
    return min((offset for offset in found if offset >= 0), default=None)


def _looks_like_windows_1252(data: bytes) -> bool:
    return _first_undefined_in_1252(data) is None


def check_encoding(path: Path, file_label: str, declared: str, scratch_dir: Path) -> DecodedFile | Issue:
    """Check one CSV data file against 1.2; return the UTF-8 file to read, or the finding that refuses it."""
    data = path.read_bytes()
    if data.startswith(_UTF32_BOMS) or data.startswith(_UTF16_BOMS):
        width = "UTF-32" if data.startswith(_UTF32_BOMS) else "UTF-16"
        return Issue(
            file_label,
            "encoding_mismatch",
            f"The file is {width} (it starts with a {width} byte order mark). Re-export it as UTF-8.",
        )
    try:
        data.decode("utf-8")
        is_utf8 = True
        utf8_error = None
    except UnicodeDecodeError as error:
        is_utf8 = False
        utf8_error = error

    if declared == WINDOWS_1252:
        if is_utf8 and not data.isascii():
            return Issue(
                file_label,
                "encoding_mismatch",
                "The manifest declares windows-1252, but the file is valid UTF-8 with non-ASCII characters: "
                "transcoding it would corrupt them. Leave the manifest's encoding empty (UTF-8).",
            )
        return _transcode_windows_1252(data, path, file_label, scratch_dir)

    if is_utf8:
        return DecodedFile(path)
    assert utf8_error is not None
    line, byte = _position(data, utf8_error.start)
    message = (
        f"The file is not valid UTF-8: byte {byte} at byte offset {utf8_error.start:,} (line {line}) "
        "does not start a valid UTF-8 sequence."
    )
    if _looks_like_windows_1252(data):
        message += (
            " It looks like a Windows-1252 export (for example byte 0xA3 is '£' and 0xE9 is 'é' there). "
            "Re-export the file as UTF-8, or declare encoding windows-1252 in manifest.csv."
        )
    else:
        message += " Re-export the file as UTF-8 text."
    return Issue(file_label, "encoding_invalid", message, line=line, value=byte)


def _transcode_windows_1252(
    data: bytes, path: Path, file_label: str, scratch_dir: Path
) -> DecodedFile | Issue:
    offset = _first_undefined_in_1252(data)
    if offset is not None:
        line, shown = _position(data, offset)
        return Issue(
            file_label,
            "encoding_invalid",
            f"Byte {shown} at byte offset {offset:,} (line {line}) is not defined in Windows-1252, "
            "which the manifest declares. Check the file's encoding.",
            line=line,
            value=shown,
        )
    text = data.decode("cp1252")
    scratch_dir.mkdir(parents=True, exist_ok=True)
    target = scratch_dir / f"{path.stem}.utf8.csv"
    target.write_text(text, encoding="utf-8", newline="")
    return DecodedFile(target, transcoded_from=WINDOWS_1252)
