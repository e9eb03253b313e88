"""Uploads the hub refuses: each says why on the page and in the command, and leaves one audit entry."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
