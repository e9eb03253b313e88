"""An upload the agreements refuse says what to do: each file and column to empty, or what to ask for."""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boroughhub.sources.schema import tables_of
from boroughhub.submissions.models import Submission
from boroughhub.submissions.refusal import refusal_issues
from tests.pagecheck import check_page
from tests.sources.builders import valid_rows, write_submission
from tests.submissions.conftest import NOT_SHARED_CHAIN_COLUMNS, zip_folder

pytestmark = pytest.mark.django_db


class Reason(NamedTuple):
    code: str
    agreement_id: str | None = None
    version: int | None = None
    permission_id: str | None = None
    fields: tuple[str, ...] | None = None


def uncovered_cells() -> set[tuple[str, str]]:
    """(file, column) of every column the demo agreement does not cover that the builders fill."""
    rows = valid_rows("chain")
    return {
        (table.file_name, column)
        for table in tables_of("chain")
        for column in NOT_SHARED_CHAIN_COLUMNS
        if any(row.get(column) for row in rows.get(table.name, []))
    }


@pytest.fixture
def full_chain_folder(tmp_path):
    return write_submission(tmp_path / "chain", "chain", valid_rows("chain"))  # every column filled


def test_columns_the_agreement_does_not_cover_are_listed_per_file_on_the_page_and_in_the_csv(
    demo_agreements, client_acting_as, full_chain_folder
):
    expected = uncovered_cells()
    assert len(expected) >= 3
    uploader = client_acting_as("uploader", "gla")
    upload = SimpleUploadedFile("chain.zip", zip_folder(full_chain_folder), "application/zip")
    page = uploader.get(uploader.post("/submissions/upload", {"files": [upload]})["Location"])
    check_page(page)
    submission = Submission.objects.get()
    assert submission.status == "denied" and submission.decision_reason == "FIELDS_NOT_PERMITTED"
    html = page.content.decode()
    assert "0 errors" not in html and "Ask your information governance lead." not in html
    assert f"{len(expected)} errors" in html
    report = uploader.get(f"/submissions/{submission.id}/validation_report.csv")
    rows = [r for r in csv.DictReader(io.StringIO(report.content.decode())) if r["rule"] == "not_permitted"]
    assert {(r["file"], r["column"]) for r in rows} == expected  # one row per file and column
    for row in rows:
        assert f"Empty the {row['column']} column in every row of {row['file']}" in row["message"]
        assert "agreement" in row["message"] and row["severity"] == "error"
    file, column = sorted(expected)[0]
    assert f"Empty the {column} column in every row of {file}" in html


def test_command_lists_the_columns_to_empty(demo_agreements, full_chain_folder, run_command):
    status, out, _ = run_command("submit", str(full_chain_folder), "--user", "uploader@gla.example")
    assert status == 1
    flat = " ".join(out.split())
    assert "Not permitted" in flat and "not_permitted" in flat
    assert all(column in flat for _, column in uncovered_cells())


def test_no_agreement_names_the_permission_to_ask_for(demo_people, client_acting_as, chain_folder):
    uploader = client_acting_as("uploader", "gla")
    upload = SimpleUploadedFile("chain.zip", zip_folder(chain_folder), "application/zip")
    page = uploader.get(uploader.post("/submissions/upload", {"files": [upload]})["Location"])
    check_page(page)
    (row,) = Submission.objects.get().report_rows
    assert (row["file"], row["column"], row["rule"]) == ("manifest.csv", "source", "not_permitted")
    assert "upload permission for CHAIN" in row["message"] and "Ask your information governance lead" in row["message"]
    assert "upload permission for CHAIN" in page.content.decode()


@pytest.mark.parametrize(("reason", "says"), [
    (Reason("ROLE_NOT_PERMITTED", "pl-rsi", 2, "p-upload"),
     "Permission p-upload of agreement pl-rsi version 2 does not let the uploader role upload"),
    (Reason("AGREEMENT_NOT_ACTIVE", "DSA-PL-RSI", 3), "Agreement DSA-PL-RSI version 3 is not yet signed by every party"),
    (Reason("AGREEMENT_EXPIRED", "pl-rsi", 1, "p-upload"), "is not in force today"),
    (Reason("ORG_SUSPENDED"), "quoting the reason ORG_SUSPENDED"),
])
def test_each_refusal_says_what_to_ask_for(reason, says):
    (issue,) = refusal_issues(reason, explanation="Refused.", fields_by_file={"chain_people.csv": {"gender"}},
                              dataset="CHAIN", purpose="bhp:rough-sleeping-strategic-insight", role="uploader")
    assert issue.rule == "not_permitted" and issue.message.startswith("Refused. ") and says in issue.message


def test_fields_refusal_names_only_files_holding_a_refused_column():
    reason = Reason("FIELDS_NOT_PERMITTED", "pl-rsi", 1, "p-upload", ("team_code", "immigration_status"))
    issues = refusal_issues(
        reason, explanation="", dataset="CHAIN", purpose="p", role="uploader",
        fields_by_file={"chain_people.csv": {"gender", "immigration_status"}, "chain_contacts.csv": {"team_code"},
                        "chain_stays.csv": {"gender"}},
    )
    assert [(i.file, i.column) for i in issues] == [("chain_contacts.csv", "team_code"),
                                                    ("chain_people.csv", "immigration_status")]
    assert "permission p-upload of agreement pl-rsi version 1" in issues[0].message.lower()
