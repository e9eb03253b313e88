"""Encoding rules of ``sources.md`` 1.2: UTF-8 or refused, and Windows-1252 only when declared.

Nothing is transcoded silently. A file that is not UTF-8 is refused with the line and byte offset
of the first bad sequence; if it looks like a Windows-1252 export the message says so and tells the
supplier how to fix it. Only a manifest that declares ``windows-1252`` makes the hub transcode.

Files are scanned in chunks, so memory stays flat whatever the size of the upload.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from boroughhub.sources.report import Issue

UTF8 = "utf-8"
WINDOWS_1252 = "windows-1252"
CHUNK_BYTES = 16 * 1024 * 1024

_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UNDEFINED_IN_1252 = tuple(bytes([b]) for b in b"\x81\x8d\x8f\x90\x9d")


@dataclass(frozen=True)
class DecodedFile:
    """A CSV file known to be UTF-8: the original, or a transcoded copy when the manifest asked for it."""

    path: Path
    transcoded_from: str | None = None


@dataclass(frozen=True)
class _Scan:
    is_ascii: bool
    first_invalid_utf8: int | None
    first_undefined_in_1252: int | None


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _scan(path: Path) -> _Scan:
    """One pass: is the file ASCII, where is its first invalid UTF-8 and first non-Windows-1252 byte."""
    is_ascii, invalid, undefined = True, None, None
    offset, carry = 0, b""  # carry: the start of a UTF-8 sequence cut by the chunk boundary
    for chunk in _chunks(path):
        if undefined is None:
            found = [i for i in (chunk.find(b) for b in _UNDEFINED_IN_1252) if i >= 0]
            undefined = offset + min(found) if found else None
        is_ascii = is_ascii and chunk.isascii()
        if invalid is None:
            data = carry + chunk
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as error:
                if error.reason == "unexpected end of data" and error.end == len(data):
                    carry = data[error.start :]
                else:
                    invalid = offset - len(carry) + error.start
        offset += len(chunk)
    if invalid is None and carry:
        invalid = offset - len(carry)  # the file ends inside a sequence (a truncated file)
    return _Scan(is_ascii, invalid, undefined)


def _position(path: Path, offset: int) -> tuple[int, str]:
    """Line number (1-based) and byte value at a byte offset."""
    newlines, seen = 0, 0
    byte = b""
    for chunk in _chunks(path):
        if seen + len(chunk) > offset:
            newlines += chunk.count(b"\n", 0, offset - seen)
            byte = chunk[offset - seen : offset - seen + 1]
            break
        newlines += chunk.count(b"\n")
        seen += len(chunk)
    return newlines + 1, f"0x{byte[0]:02X}" if byte else ""


def check_encoding(path: Path, file_label: str, declared: str, scratch_dir: Path) -> DecodedFile | Issue:
    """Check one CSV data file against 1.2; return the UTF-8 file to read, or the finding that refuses it."""
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(_UTF32_BOMS) or start.startswith(_UTF16_BOMS):
        width = "UTF-32" if start.startswith(_UTF32_BOMS) else "UTF-16"
        return Issue(
            file_label,
            "encoding_mismatch",
            f"The file is {width} (it starts with a {width} byte order mark). Re-export it as UTF-8.",
        )
    scan = _scan(path)
    if declared == WINDOWS_1252:
        if scan.first_invalid_utf8 is None and not scan.is_ascii:
            return Issue(
                file_label,
                "encoding_mismatch",
                "The manifest declares windows-1252, but the file is valid UTF-8 with non-ASCII characters: "
                "transcoding it would corrupt them. Leave the manifest's encoding empty (UTF-8).",
            )
        if scan.first_undefined_in_1252 is not None:
            line, shown = _position(path, scan.first_undefined_in_1252)
            return Issue(
                file_label,
                "encoding_invalid",
                f"Byte {shown} at byte offset {scan.first_undefined_in_1252:,} (line {line}) is not defined in "
                "Windows-1252, which the manifest declares. Check the file's encoding.",
                line=line,
                value=shown,
            )
        return _transcode_windows_1252(path, scratch_dir)
    if scan.first_invalid_utf8 is None:
        return DecodedFile(path)
    line, byte = _position(path, scan.first_invalid_utf8)
    message = (
        f"The file is not valid UTF-8: byte {byte} at byte offset {scan.first_invalid_utf8:,} (line {line}) "
        "does not start a valid UTF-8 sequence."
    )
    if scan.first_undefined_in_1252 is None:
        message += (
            " It looks like a Windows-1252 export (for example byte 0xA3 is '£' and 0xE9 is 'é' there). "
            "Re-export the file as UTF-8, or declare encoding windows-1252 in manifest.csv."
        )
    else:
        message += " Re-export the file as UTF-8 text."
    return Issue(file_label, "encoding_invalid", message, line=line, value=byte)


def _transcode_windows_1252(path: Path, scratch_dir: Path) -> DecodedFile:
    """Windows-1252 is one byte per character, so chunks transcode independently."""
    scratch_dir.mkdir(parents=True, exist_ok=True)
    target = scratch_dir / f"{path.stem}.utf8.csv"
    with target.open("wb") as sink:
        for chunk in _chunks(path):
            sink.write(chunk.decode("cp1252").encode("utf-8"))
    return DecodedFile(target, transcoded_from=WINDOWS_1252)
