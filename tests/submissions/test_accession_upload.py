"""Southwark (not in the pilot) uploads H-CLIC through the real submission pipeline: refused before its
accession time, accepted and stamped as Southwark's once it has joined the pilot agreement as a borough."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from boroughhub.submissions.models import Submission
from tests.sources.builders import valid_rows, write_submission

pytestmark = pytest.mark.django_db


def southwark_hclic(folder: Path, agreement_content: dict[str, Any]) -> Path:
    """The builders' valid H-CLIC rows as Southwark would send them under the pilot agreement."""
    allowed = next(set(d["field_sets"]["upload"]) for d in agreement_content["datasets"] if d["dataset_id"] == "hclic")
    rows = json.loads(json.dumps(valid_rows("hclic")).replace("E09000033", "E09000028"))
    for table_rows in rows.values():
        for row in table_rows:
            for column in list(row):
                if column not in allowed:
                    row[column] = ""
    return write_submission(folder, "hclic", rows, supplier_code="E09000028")


def test_southwark_is_refused_before_it_joins_and_accepted_after(demo_agreements, make_user, run_command, tmp_path):
    for role in ("ig_lead", "uploader"):
        make_user(f"{role}@southwark.example", "southwark", role)
    version = demo_agreements["dsa-pl-rsi/1"]
    folder = southwark_hclic(tmp_path / "southwark", version.content)

    status, out, err = run_command("submit", str(folder), "--user", "uploader@southwark.example")
    refused = Submission.objects.get()
    assert status != 0 and refused.status == "denied" and refused.decision_reason == "NO_AGREEMENT", out + err

    call_command("agreements", "accede", "dsa-pl-rsi", "--org", "southwark", "--profile", "borough",
                 "--as", "ig_lead@southwark.example")
    status, out, err = run_command("submit", str(folder), "--user", "uploader@southwark.example")
    assert Submission.objects.count() == 2 and Submission.objects.latest("uploaded_at").status == "denied"

    call_command("agreements", "countersign", "dsa-pl-rsi", "--org", "southwark", "--as", "hub_admin@hub.example")
    status, out, err = run_command("submit", str(folder), "--user", "uploader@southwark.example")
    accepted = Submission.objects.latest("uploaded_at")
    assert status == 0 and accepted.status == "accepted", out + err
    assert (accepted.agreement_id, accepted.agreement_version) == ("dsa-pl-rsi", 1)
