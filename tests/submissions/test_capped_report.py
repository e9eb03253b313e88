"""A header with 100,000 made-up columns: a short stored report that says how many findings it leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boroughhub.submissions.models import Submission
from tests.pagecheck import check_page
from tests.sources.test_report_caps import add_header_columns
from tests.submissions.conftest import zip_folder

pytestmark = pytest.mark.django_db

THE_REST = "99,000 more header_unknown_column findings in chain_people.csv not listed"


@pytest.fixture
def wide_header_folder(chain_folder: Path) -> Path:
    add_header_columns(chain_folder, "chain_people.csv", 100_000)
    return chain_folder


def test_page_and_report_csv_count_the_findings_not_listed(demo_agreements, client_acting_as, wide_header_folder):
    uploader = client_acting_as("uploader", "gla")
    upload = SimpleUploadedFile("chain.zip", zip_folder(wide_header_folder), "application/zip")
    page = uploader.get(uploader.post("/submissions/upload", {"files": [upload]})["Location"])
    check_page(page)
    assert THE_REST in page.content.decode()
    submission = Submission.objects.get()
    assert submission.status == "rejected" and len(submission.report_rows) < 1_100
    assert submission.report_summary["errors"] > 100_000  # every finding still counted
    report = uploader.get(f"/submissions/{submission.id}/validation_report.csv")
    text = report.content.decode()
    assert THE_REST in text and len(report.content) < 500_000
    assert report.headers["Cache-Control"] == "no-store"  # a report may name a supplier's columns and lines
    assert submission.report_path.stat().st_size < 500_000


def test_command_counts_the_findings_not_listed(demo_agreements, wide_header_folder, run_command):
    status, out, _ = run_command("submit", str(wide_header_folder), "--user", "uploader@gla.example")
    assert status == 1
    assert THE_REST in " ".join(out.split())
