"""Storing uploaded files, reading the manifest's supplier, and the kept report: plain Python, no database."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from boroughhub.sources.report import Issue, ValidationReport
from boroughhub.submissions.progress import ProgressTracker
from boroughhub.submissions.report_record import report_csv, report_record
from boroughhub.submissions.statuses import Status
from boroughhub.submissions.upload_files import (
    IncomingFile,
    UploadProblem,
    manifest_supplier_code,
    plain_name,
    store_upload,
    submission_input,
)
from tests.sources.builders import write_submission


def incoming(name: str, data: bytes = b"a,b\n") -> IncomingFile:
    return IncomingFile(name, [data[:2], data[2:]])


def test_files_are_stored_with_plain_names_and_hashes(tmp_path: Path) -> None:
    target, stored = store_upload([incoming("C:\\exports\\manifest.csv"), incoming("chain_people.csv")], tmp_path / "u")
    assert target == tmp_path / "u" and submission_input(target) == target
    assert sorted(p.name for p in target.iterdir()) == ["chain_people.csv", "manifest.csv"]
    assert stored[0].name == "manifest.csv" and len(stored[0].sha256) == 64 and stored[0].bytes == 4


def test_one_zip_is_handed_over_as_it_is(tmp_path: Path) -> None:
    target, _ = store_upload([incoming("submission.zip", b"PK..")], tmp_path / "u")
    assert target == tmp_path / "u" / "submission.zip"
    assert submission_input(tmp_path / "u") == target


@pytest.mark.parametrize(
    ("names", "says"),
    [
        ([], "Select the submission"),
        (["..", "manifest.csv"], "cannot be used"),
        ([".hidden.csv", "manifest.csv"], "cannot be used"),
        (["a.zip", "manifest.csv"], "not both"),
        (["manifest.csv", "MANIFEST.csv"], "same name"),
        (["chain_people.csv"], "Include manifest.csv"),
    ],
)
def test_unusable_uploads_say_what_to_do(tmp_path: Path, names: list[str], says: str) -> None:
    with pytest.raises(UploadProblem, match=says):
        store_upload([incoming(n) for n in names], tmp_path / "u")
    assert not (tmp_path / "u").exists()


def test_folders_in_names_are_dropped(tmp_path: Path) -> None:
    target, _ = store_upload([incoming("../../evil.csv"), incoming("manifest.csv")], tmp_path / "u")
    assert sorted(p.name for p in target.iterdir()) == ["evil.csv", "manifest.csv"]
    assert not (tmp_path / "evil.csv").exists()


def test_plain_name_keeps_ordinary_names() -> None:
    assert plain_name("folder/chain_stays.csv") == "chain_stays.csv"
    assert plain_name("extract (2).xlsx") == "extract (2).xlsx"


def test_manifest_supplier_from_folder_and_zip(tmp_path: Path) -> None:
    folder = write_submission(tmp_path / "hclic", "hclic")
    assert manifest_supplier_code(folder) == "E09000033"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"hclic/{path.name}")
    (tmp_path / "h.zip").write_bytes(buffer.getvalue())
    assert manifest_supplier_code(tmp_path / "h.zip") == "E09000033"
    (tmp_path / "not.zip").write_bytes(b"nonsense")
    assert manifest_supplier_code(tmp_path / "not.zip") is None
    assert manifest_supplier_code(tmp_path / "missing") is None


def test_kept_report_redacts_direct_identifiers_and_neutralises_formulas() -> None:
    report = ValidationReport(submission_id="s1")
    report.add(Issue("chain_people.csv", "bad_text", "Too long.", line=2, column="first_name", value="Ann"))
    report.add(Issue("chain_people", "bad_text", "Too long.", line=3, column="last_name", value="Smith"))
    report.add(Issue("chain_contacts.csv", "bad_date", "Not a date.", line=2, column="contact_date", value="=1+2"))
    kept = report_record(report)
    values = [row["value"] for row in kept["rows"]]
    assert "Ann" not in values and "Smith" not in values and values.count("[redacted]") == 2
    assert kept["summary"]["errors"] == 3 and kept["summary"]["rows_total"] == 3
    text = report_csv(kept["rows"])
    assert "'=1+2" in text and "Ann" not in text


def test_progress_fills_the_bar_by_phase() -> None:
    written: list[tuple[Status, int, str]] = []
    tracker = ProgressTracker(lambda *args: written.append(args), min_interval=0)
    tracker.enter(Status.VALIDATING, "Checking the files")
    tracker("Reading chain_people.csv", 0.5)
    tracker.enter(Status.LOADING, "Loading")
    tracker("Loading chain_people", 0.0)
    tracker("Committing", 1.0)
    percents = [p for _, p, _ in written]
    assert percents == sorted(percents) and percents[-1] == 99
    assert written[1] == (Status.VALIDATING, 41, "Reading chain_people.csv")
