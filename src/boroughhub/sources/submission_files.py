"""Which files a submission folder (or ``.zip`` of one) holds, and their fingerprints.

A zip is unpacked only after the same guards a workbook gets (no zip bombs) plus path-traversal
guards: no absolute names, no ``..``, no links, no nested folders beyond one top-level folder.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from boroughhub.sources.readers import DAMAGED_ZIP_ERRORS, UnreadableFile, check_zip_safe
from boroughhub.sources.report import Issue
from boroughhub.sources.schema import MANIFEST_FILE, Table

MAX_SUBMISSION_UNPACKED_BYTES = 8 * 1024 * 1024 * 1024
_IGNORED_PREFIXES = (".", "__MACOSX", "~$")


def _ignored(name: str) -> bool:
    return name.startswith(_IGNORED_PREFIXES) or name in ("Thumbs.db", "desktop.ini")


def unpack_submission_zip(zip_path: Path, destination: Path) -> Path:
    """Unpack a zipped submission into ``destination`` and return the folder holding ``manifest.csv``."""
    with check_zip_safe(zip_path, max_unpacked=MAX_SUBMISSION_UNPACKED_BYTES) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or ":" in member.filename:
                raise UnreadableFile(f"the zip holds an unsafe path {member.filename!r}")
            if stat.S_ISLNK(member.external_attr >> 16):
                raise UnreadableFile(f"the zip holds a link {member.filename!r}")
            if any(_ignored(part) for part in path.parts):
                continue
            if len(path.parts) > 2:
                raise UnreadableFile(
                    f"the zip has nested folders ({member.filename!r}); zip the submission folder"
                )
        wanted = [
            m
            for m in members
            if not any(_ignored(p) for p in PurePosixPath(m.filename.replace("\\", "/")).parts)
        ]
        tops = {
            PurePosixPath(m.filename.replace("\\", "/")).parts[0]
            for m in wanted
            if "/" in m.filename.replace("\\", "/")
        }
        destination.mkdir(parents=True, exist_ok=True)
        for member in wanted:
            name = PurePosixPath(member.filename.replace("\\", "/")).name
            target = destination / name
            if target.exists():
                raise UnreadableFile(f"the zip holds {name!r} twice")
            _extract(archive, member, target)
        if len(tops) > 1:
            raise UnreadableFile("the zip holds more than one folder; zip one submission folder")
    return destination


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    try:
        with archive.open(member) as source, target.open("wb") as sink:
            while chunk := source.read(1024 * 1024):
                sink.write(chunk)
    except DAMAGED_ZIP_ERRORS as error:
        raise UnreadableFile(
            f"{member.filename!r} in the zip is damaged ({error}): its content does not match the size "
            "and checksum the zip declares. Zip the submission folder again and upload the new zip"
        ) from None


@dataclass
class SubmissionFiles:
    folder: Path
    manifest: Path | None = None
    csv_files: dict[str, Path] = field(default_factory=dict)
    workbook: Path | None = None
    other: list[str] = field(default_factory=list)


def locate_files(folder: Path) -> SubmissionFiles:
    found = SubmissionFiles(folder)
    for path in sorted(folder.iterdir()):
        if _ignored(path.name) or path.is_dir():
            if path.is_dir() and not _ignored(path.name):
                found.other.append(path.name + "/")
            continue
        name = path.name
        if name == MANIFEST_FILE:
            found.manifest = path
        elif name.lower().endswith(".xlsx") and found.workbook is None:
            found.workbook = path
        elif name.lower().endswith(".csv"):
            found.csv_files[name] = path
        else:
            found.other.append(name)
    return found


def presence_issues(files: SubmissionFiles, tables: tuple[Table, ...]) -> list[Issue]:
    """``file_missing`` and ``file_unexpected`` for a source's set of files (sources.md 2)."""
    expected = {t.file_name for t in tables}
    issues: list[Issue] = []
    if files.workbook is not None and files.csv_files:
        issues += [
            Issue(name, "file_unexpected", "Send either the data CSV files or one workbook, not both.")
            for name in sorted(files.csv_files)
        ]
    elif files.workbook is None:
        issues += [
            Issue(
                name,
                "file_missing",
                f"The submission has no {name}; every file of the source is needed "
                "(a header-only file when there are no rows).",
            )
            for name in sorted(expected - set(files.csv_files))
        ]
        issues += [
            Issue(
                name,
                "file_unexpected",
                f"{name} is not a file of this source (expected: {', '.join(sorted(expected))}).",
            )
            for name in sorted(set(files.csv_files) - expected)
        ]
    issues += [Issue(name, "file_unexpected", f"{name} is not part of a submission.") for name in files.other]
    return issues


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def zip_is_submission(path: Path) -> bool:
    return path.is_file() and zipfile.is_zipfile(path)
