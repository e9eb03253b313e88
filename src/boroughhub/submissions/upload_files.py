"""Uploaded files on disk: where a submission's files wait until they are processed, and what they are.

An upload is either one ``.zip`` of the submission folder, or ``manifest.csv`` with the data files
(CSV files or one workbook). Files are written under ``DATA_DIR/uploads/<submission id>/`` with
their plain names only; the validator then reports on their content exactly as for the CLI.
Plain Python: the views hand over names and byte chunks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from boroughhub.sources import MANIFEST_FILE

#: The largest upload the web page accepts (a London-wide CHAIN extract is a few hundred MB).
MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024
MAX_FILES = 20
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ ()-]{0,99}$")
_MANIFEST_PEEK_BYTES = 1024 * 1024


class UploadProblem(ValueError):
    """An upload that cannot be stored; the message tells the uploader what to do."""


@dataclass(frozen=True)
class IncomingFile:
    name: str
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    bytes: int

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "sha256": self.sha256, "bytes": self.bytes}


def plain_name(name: str) -> str:
    """The file's own name without any folder a browser sent; refuses names that are not plain."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip()
    if not _SAFE_NAME.fullmatch(base) or ".." in base:
        raise UploadProblem(
            f"The file name {base[:60]!r} cannot be used. Use names made of letters, digits, dots, "
            "hyphens and underscores, such as chain_people.csv."
        )
    return base


def store_upload(files: Sequence[IncomingFile], folder: Path) -> tuple[Path, list[StoredFile]]:
    """Write the files into ``folder``; return what to give the validator (the zip or the folder)."""
    if not files:
        raise UploadProblem("Select the submission's files: one .zip, or manifest.csv and the data files.")
    if len(files) > MAX_FILES:
        raise UploadProblem(f"Select at most {MAX_FILES} files, or upload one .zip of the submission folder.")
    names = [plain_name(f.name) for f in files]
    if len({n.lower() for n in names}) != len(names):
        raise UploadProblem("Two of the files have the same name. Select each file once.")
    zips = [n for n in names if n.lower().endswith(".zip")]
    if zips and len(names) > 1:
        raise UploadProblem("Upload either one .zip of the submission folder, or the files themselves, not both.")
    if not zips and MANIFEST_FILE not in names:
        raise UploadProblem("Include manifest.csv with the data files, or upload one .zip of the submission folder.")
    folder.mkdir(parents=True, exist_ok=True)
    stored: list[StoredFile] = []
    total = 0
    try:
        for name, incoming in zip(names, files, strict=True):
            digest = hashlib.sha256()
            size = 0
            with (folder / name).open("wb") as sink:
                for chunk in incoming.chunks:
                    size += len(chunk)
                    total += len(chunk)
                    if total > MAX_UPLOAD_BYTES:
                        raise UploadProblem(
                            f"The upload is larger than {MAX_UPLOAD_BYTES // 1024**3} GB. "
                            "Send it as one .zip, or ask the hub's data managers to load it with the command line."
                        )
                    digest.update(chunk)
                    sink.write(chunk)
            stored.append(StoredFile(name, digest.hexdigest(), size))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return (folder / zips[0] if zips else folder), stored


def describe_files(path: Path) -> list[StoredFile]:
    """Name, SHA-256 and size of each file of a submission folder (or of the zip itself)."""
    candidates = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    described = []
    for candidate in candidates:
        digest = hashlib.sha256()
        with candidate.open("rb") as handle:
            while chunk := handle.read(4 * 1024 * 1024):
                digest.update(chunk)
        described.append(StoredFile(candidate.name, digest.hexdigest(), candidate.stat().st_size))
    return described


def manifest_supplier_code(path: Path) -> str | None:
    """The ``supplier_code`` on the manifest's first row, read cheaply; None when it cannot be read.

    Used only to choose which organisation a command-line upload acts for; the validator checks
    the manifest in full.
    """
    data = _manifest_bytes(path)
    if data is None:
        return None
    try:
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        first = next(rows, None)
    except (UnicodeDecodeError, csv.Error):
        return None
    value = (first or {}).get("supplier_code")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _manifest_bytes(path: Path) -> bytes | None:
    if path.is_dir():
        manifest = path / MANIFEST_FILE
        return manifest.read_bytes()[:_MANIFEST_PEEK_BYTES] if manifest.is_file() else None
    if not (path.is_file() and zipfile.is_zipfile(path)):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                if parts and parts[-1] == MANIFEST_FILE and not parts[0].startswith(("__MACOSX", ".")):
                    with archive.open(member) as handle:
                        return handle.read(_MANIFEST_PEEK_BYTES)
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return None
    return None


def submission_input(folder: Path) -> Path:
    """What to hand the validator for a stored upload: its one ``.zip``, or the folder itself."""
    if folder.is_dir():
        zips = [p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(".zip")]
        if len(zips) == 1:
            return zips[0]
    return folder
