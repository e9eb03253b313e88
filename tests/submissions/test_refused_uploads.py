"""Uploads the hub refuses: each says why on the page and in the command, and leaves one audit entry."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boroughhub.audit.models import AuditEntry
from boroughhub.submissions.models import Submission
from tests.pagecheck import check_page
from tests.submissions.conftest import zip_folder

pytestmark = pytest.mark.django_db

GLA_UPLOADER = "uploader@gla.example"


def zip_with_false_size(folder: Path, member: str = "chain_people.csv") -> bytes:
    """A zip of the folder whose ``member`` declares fewer bytes than it holds: its CRC cannot match."""
    data = bytearray(zip_folder(folder))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(member))
    false_size = struct.pack("<I", info.file_size // 2)
    data[info.header_offset + 22:info.header_offset + 26] = false_size  # local header
    central = data.index(b"PK\x01\x02")
    while True:  # the member's central-directory record
        name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + name_length].decode().endswith(member):
            data[central + 24:central + 28] = false_size
            break
        extra, comment = struct.unpack("<HH", data[central + 30:central + 34])
        central += 46 + name_length + extra + comment
    return bytes(data)


def test_zip_with_a_false_declared_size_is_refused_with_a_reason_on_the_page(
    demo_agreements, client_acting_as, chain_folder
):
    uploader = client_acting_as("uploader", "gla")
    upload = SimpleUploadedFile("chain.zip", zip_with_false_size(chain_folder), "application/zip")
    response = uploader.post("/submissions/upload", {"files": [upload]})
    page = uploader.get(response["Location"])
    check_page(page)
    html = page.content.decode()
    submission = Submission.objects.get()
    assert submission.status == "rejected", submission.failure_message
    assert "Something went wrong" not in html
    assert "chain_people.csv" in html and "is damaged" in html and "Zip the submission folder again" in html


def test_zip_with_a_false_declared_size_is_refused_with_a_reason_by_the_command(
    demo_agreements, chain_folder, tmp_path, run_command, caplog
):
    archive = tmp_path / "chain.zip"
    archive.write_bytes(zip_with_false_size(chain_folder))
    status, out, _ = run_command("submit", str(archive), "--user", GLA_UPLOADER)
    assert status == 1
    assert "Rejected" in out and "is damaged" in out and "Something went wrong" not in out
    assert "BadZipFile" not in caplog.text and "Traceback" not in caplog.text


def upload_decisions():
    return list(AuditEntry.objects.filter(event_type="decision", action="upload").order_by("seq"))


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def folder_members(folder: Path, prefix: str) -> dict[str, bytes]:
    return {f"{prefix}{path.name}": path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("refusal", ["zip-slip", "zip bomb", "damaged zip"])
def test_each_refused_zip_is_audited_once(demo_agreements, client_acting_as, chain_folder, refusal):
    archives = {
        "zip-slip": lambda: zip_of(folder_members(chain_folder, "../")),
        "zip bomb": lambda: zip_of({**folder_members(chain_folder, "chain/"), "chain/padding.csv": b"0" * 10_000_000}),
        "damaged zip": lambda: zip_with_false_size(chain_folder),
    }
    uploader = client_acting_as("uploader", "gla")
    uploader.post("/submissions/upload", {"files": [SimpleUploadedFile("chain.zip", archives[refusal]())]})
    submission = Submission.objects.get()
    assert submission.status == "rejected"
    (entry,) = upload_decisions()
    assert entry.outcome == "deny" and entry.org == "gla" and entry.role == "uploader"
    assert entry.reasons == [{"code": "UPLOAD_REJECTED"}]
    assert entry.payload["submission_id"] == submission.id and entry.payload["rules"] == ["encoding_invalid"]


def test_upload_with_another_suppliers_code_is_audited_once(demo_agreements, client_acting_as, chain_folder):
    westminster = client_acting_as("uploader", "westminster")  # the folder is CHAIN's, from chain_london
    westminster.post("/submissions/upload", {"files": [SimpleUploadedFile("chain.zip", zip_folder(chain_folder))]})
    assert Submission.objects.get().status == "rejected"
    (entry,) = upload_decisions()
    assert entry.outcome == "deny" and entry.org == "westminster" and entry.dataset == "chain"
    assert entry.payload["supplier_code_claimed"] == "chain_london"


def test_source_the_borough_does_not_supply_is_audited_once(demo_agreements, client_acting_as, tmp_path):
    from tests.sources.builders import write_submission
    from tests.submissions.conftest import shared_chain_rows

    folder = write_submission(tmp_path / "chain", "chain", shared_chain_rows(), supplier_code="E09000033")
    westminster = client_acting_as("uploader", "westminster")
    westminster.post("/submissions/upload", {"files": [SimpleUploadedFile("chain.zip", zip_folder(folder))]})
    submission = Submission.objects.get()
    assert submission.status == "rejected"
    assert any("not registered to supply chain" in row["message"] for row in submission.report_rows)
    (entry,) = upload_decisions()
    assert entry.outcome == "deny" and entry.org == "westminster" and "manifest_invalid" in entry.payload["rules"]


def test_command_line_upload_for_another_supplier_is_audited_once(demo_agreements, chain_folder, run_command):
    status, _, message = run_command("submit", str(chain_folder), "--user", "uploader@westminster.example")
    assert status == 2 and "Nothing was uploaded" in message
    (entry,) = upload_decisions()
    assert entry.outcome == "deny" and entry.org == "westminster"
    assert entry.payload["supplier_code_claimed"] == "chain_london"


def test_each_probe_of_another_organisations_submission_is_audited_once(
    demo_agreements, client_acting_as, chain_folder
):
    gla = client_acting_as("uploader", "gla")
    gla.post("/submissions/upload", {"files": [SimpleUploadedFile("chain.zip", zip_folder(chain_folder))]})
    submission = Submission.objects.get()
    before = AuditEntry.objects.count()
    other = client_acting_as("uploader", "westminster")
    paths = (f"/submissions/{submission.id}", f"/submissions/{submission.id}/validation_report.csv",
             "/submissions/" + "0" * 32)
    for path in paths:
        assert other.get(path).status_code == 404
    probes = list(AuditEntry.objects.filter(seq__gt=AuditEntry.objects.order_by("seq")[before - 1].seq))
    assert [p.payload["path"] for p in probes] == list(paths)
    assert all(p.event_type == "decision" and p.outcome == "deny" and p.org == "westminster" for p in probes)
    assert [p.payload["held_by"] for p in probes] == ["gla", "gla", None]
    check_page(client_acting_as("privacy_officer", "westminster").get("/agreements/audit"))


def test_upload_refused_on_the_form_is_audited_once(client_acting_as, chain_folder):
    uploader = client_acting_as("uploader", "gla")
    files = [SimpleUploadedFile("manifest.csv", b"a"), SimpleUploadedFile("evil name;.csv", b"b")]
    response = uploader.post("/submissions/upload", {"files": files})
    assert response.status_code == 400 and "cannot be used" in response.content.decode()
    assert not Submission.objects.exists()
    (entry,) = upload_decisions()
    assert entry.outcome == "deny" and entry.org == "gla" and "cannot be used" in entry.payload["problem"]
