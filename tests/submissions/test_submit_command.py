"""``boroughhub submit`` and ``boroughhub warehouse``: exit codes, output, and what the warehouse holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from boroughhub.audit.models import AuditEntry
from boroughhub.submissions.models import Submission
from tests.sources.builders import write_submission
from tests.submissions.conftest import shared_chain_rows

pytestmark = pytest.mark.django_db

GLA_UPLOADER = "uploader@gla.example"


def current_versions(counts: list[dict]) -> set[tuple[str, int]]:
    return {(r["supplier_code"], r["version"]) for r in counts if r["status"] == "current"}


def test_accepted_submission_loads_and_is_audited(demo_agreements, chain_folder, run_command, warehouse_counts):
    status, out, err = run_command("submit", str(chain_folder), "--user", GLA_UPLOADER)
    assert status == 0, out + err
    assert "Accepted" in out and "Warehouse version 1 of chain from chain_london" in out
    submission = Submission.objects.get()
    assert submission.status == "accepted" and submission.channel == "cli"
    assert submission.organisation_id == "gla" and submission.agreement_id == "dsa-pl-rsi"
    assert submission.agreement_version == 1 and submission.warehouse_version == 1
    assert {f["name"]: f["rows"] for f in submission.files if f["name"] != "manifest.csv"} == {
        "chain_people.csv": 3, "chain_contacts.csv": 3, "chain_stays.csv": 2,
    }
    assert all(len(f["sha256"]) == 64 for f in submission.files)
    counts = {r["table"]: r["rows"] for r in warehouse_counts() if r["status"] == "current"}
    assert counts == {"chain_people": 3, "chain_contacts": 3, "chain_stays": 2}
    decision = AuditEntry.objects.get(event_type="decision", action="upload")
    assert decision.outcome == "permit" and decision.dataset == "chain" and "first_name" in decision.fields
    access = AuditEntry.objects.get(event_type="access")
    assert access.row_count == 8 and str(access.decision_entry_id) == str(decision.entry_id)


def test_same_files_twice_keep_one_current_version(
    demo_agreements, chain_folder, run_command, warehouse_counts, monkeypatch
):
    from boroughhub.submissions import tasks

    started: list[str] = []
    monkeypatch.setattr(tasks, "start_after_loading", lambda submission_id: started.append(submission_id) or ["link"])
    status, out, _ = run_command("submit", str(chain_folder), "--user", GLA_UPLOADER)
    assert status == 0 and "Started the link step." in out
    before = warehouse_counts()
    status, out, _ = run_command("submit", str(chain_folder), "--user", GLA_UPLOADER)
    assert status == 0 and "Already loaded" in out
    assert started == [Submission.objects.get(status="accepted").id]  # linkage only after a new version
    assert warehouse_counts() == before
    assert current_versions(before) == {("chain_london", 1)}
    assert list(Submission.objects.order_by("uploaded_at").values_list("status", flat=True)) == ["accepted", "unchanged"]
    assert AuditEntry.objects.filter(event_type="access").count() == 1


def test_rejected_submission_changes_nothing(
    demo_agreements, chain_folder, broken_chain_folder, run_command, warehouse_counts
):
    assert run_command("submit", str(chain_folder), "--user", GLA_UPLOADER)[0] == 0
    before = warehouse_counts()
    status, out, _ = run_command("submit", str(broken_chain_folder), "--user", GLA_UPLOADER)
    assert status == 1
    assert "Rejected" in out and "bad_date" in out and "bad_ni_number" in out
    assert "QQ123456Z" not in out  # a direct identifier is never echoed
    assert "'=1+2" in out  # a formula is shown neutralised
    assert warehouse_counts() == before
    rejected = Submission.objects.get(status="rejected")
    assert rejected.report_summary["errors"] >= 2 and rejected.warehouse_version is None
    # The agreements were never asked: the one entry is the hub's own refusal, with the rules broken.
    (refusal,) = AuditEntry.objects.filter(event_type="decision", action="upload", outcome="deny")
    assert refusal.reasons == [{"code": "UPLOAD_REJECTED"}] and "bad_date" in refusal.payload["rules"]


def test_wrong_supplier_is_refused_before_anything_runs(demo_agreements, chain_folder, run_command):
    status, _, message = run_command("submit", str(chain_folder), "--user", "uploader@westminster.example")
    assert status == 2
    assert "chain_london" in message and "Nothing was uploaded" in message
    assert not Submission.objects.exists()


def test_user_without_uploader_role_or_unknown_user(demo_agreements, chain_folder, run_command):
    assert run_command("submit", str(chain_folder), "--user", "analyst@gla.example")[0] == 2
    assert run_command("submit", str(chain_folder), "--user", "nobody@nowhere.example")[0] == 2
    assert run_command("submit", "/no/such/folder", "--user", GLA_UPLOADER)[0] == 2
    assert not Submission.objects.exists()


def test_no_agreement_means_denied_and_audited(demo_people, chain_folder, run_command, warehouse_counts):
    status, out, _ = run_command("submit", str(chain_folder), "--user", GLA_UPLOADER)
    assert status == 1
    assert "Not permitted" in out and "NO_AGREEMENT" in out
    submission = Submission.objects.get()
    assert submission.status == "denied" and submission.decision_reason == "NO_AGREEMENT"
    decision = AuditEntry.objects.get(event_type="decision", action="upload")
    assert decision.outcome == "deny" and decision.org == "gla" and decision.role == "uploader"
    assert not AuditEntry.objects.filter(event_type="access").exists()
    assert warehouse_counts() == []


def test_zip_is_accepted(demo_agreements, chain_folder, tmp_path, run_command):
    from tests.submissions.conftest import zip_folder

    archive = tmp_path / "chain.zip"
    archive.write_bytes(zip_folder(chain_folder))
    status, out, _ = run_command("submit", str(archive), "--user", GLA_UPLOADER)
    assert status == 0, out


def test_counts_on_an_empty_warehouse(run_command):
    status, out, _ = run_command("warehouse", "counts", "--json")
    assert status == 0 and out.strip() == "[]"
    status, out, _ = run_command("warehouse", "counts")
    assert status == 0 and "no submissions" in out


def test_restore_an_earlier_version(demo_agreements, chain_folder, tmp_path: Path, run_command, warehouse_counts):
    assert run_command("submit", str(chain_folder), "--user", GLA_UPLOADER)[0] == 0
    rows = shared_chain_rows()
    rows["chain_stays"] = rows["chain_stays"][:1]
    second = write_submission(tmp_path / "second", "chain", rows)
    assert run_command("submit", str(second), "--user", GLA_UPLOADER)[0] == 0
    assert current_versions(warehouse_counts()) == {("chain_london", 2)}
    refused = run_command("warehouse", "restore", "chain", "chain_london", "1", "--user", GLA_UPLOADER)
    assert refused[0] == 2
    status, out, err = run_command(
        "warehouse", "restore", "chain", "chain_london", "1", "--user", "data_manager@hub.example"
    )
    assert status == 0, err
    assert "Version 1 of chain from chain_london is current again" in out
    counts = warehouse_counts()
    assert current_versions(counts) == {("chain_london", 1)}
    assert {r["table"]: r["rows"] for r in counts if r["status"] == "current"}["chain_stays"] == 2
    missing = run_command("warehouse", "restore", "chain", "chain_london", "9", "--user", "data_manager@hub.example")
    assert missing[0] == 1 and "No version 9" in missing[2]


def test_quiet_run_prints_only_what_went_wrong(
    demo_agreements, chain_folder, broken_chain_folder, run_command, monkeypatch
):
    from boroughhub.submissions import tasks

    started: list[str] = []
    monkeypatch.setattr(tasks, "start_after_loading", lambda submission_id: started.append(submission_id) or [])
    status, out, _ = run_command("submit", str(chain_folder), "--user", GLA_UPLOADER, "--verbosity", "0", "--no-follow-up")
    assert status == 0 and out == "" and started == []
    status, out, _ = run_command("submit", str(broken_chain_folder), "--user", GLA_UPLOADER, "--verbosity", "0")
    assert status == 1 and "Rejected" in out and "bad_date" in out
