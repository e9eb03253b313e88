"""The command-line side: decide, export, import, sign, remind."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boroughhub.agreements.models import AgreementVersion, Notification
from boroughhub.agreements.registers import load_example_version_document


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code)
    return code, out.getvalue(), err.getvalue()


def test_decide_prints_the_decision_and_exits_zero(pl_rsi_v1, tmp_path):
    # A minute after the fixture signed the agreement and granted the roles, written in London time.
    asked = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)
    local = asked.astimezone(ZoneInfo("Europe/London"))
    request = {"user": "analyst@camden.example", "org": "camden", "role": "analyst", "action": "view_aggregate",
               "dataset": "metric_values", "fields": ["metric", "period", "area_code", "value"],
               "purpose": "bhp:rough-sleeping-strategic-insight", "time": local.isoformat()}
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    code, out, _ = run("decide", "--request", str(path))
    decision = json.loads(out)
    assert code == 0 and decision["decision"] == "permit"
    assert decision["decided_at"] == asked.strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(json.dumps({**request, "time": local.replace(tzinfo=None).isoformat()}))
    code, out, _ = run("decide", "--request", str(path))
    assert code == 0 and json.loads(out)["reasons"][0]["code"] == "INVALID_REQUEST"


def test_export_json_and_odrl(pl_rsi_v1):
    code, out, _ = run("agreements", "export", "dsa-pl-rsi/1")
    document = json.loads(out)
    assert document["content_hash"] == pl_rsi_v1.content_hash and document["status"] == "active"
    assert [s["status"] for s in document["status_history"]] == ["draft", "in_signature", "active"]
    code, out, _ = run("agreements", "export", "dsa-pl-rsi", "--format", "odrl")
    assert json.loads(out)["@graph"][0]["@type"] == "Agreement"


def test_import_creates_a_draft_and_refuses_invalid_files(demo_people, tmp_path):
    document = load_example_version_document()
    document["agreement_id"] = "dsa-imported"
    path = tmp_path / "version.json"
    path.write_text(json.dumps(document))
    code, out, err = run("agreements", "import", str(path), "--as", "ig_lead@camden.example")
    assert code == 0, err
    version = AgreementVersion.objects.get(agreement_id="dsa-imported")
    assert version.status == "draft" and version.lead_party_id == "camden"

    del document["content"]["lawful_basis"]["art10"]
    document["content"]["parties"][0]["org_id"] = "atlantis"
    path.write_text(json.dumps(document))
    code, out, err = run("agreements", "import", str(path), "--as", "ig_lead@camden.example")
    assert code == 1 and "/content/parties/0/org_id" in err and "nothing was imported" in err
    path.write_text("{not json")
    assert run("agreements", "import", str(path), "--as", "ig_lead@camden.example")[0] == 1


def test_sign_from_the_command_line_and_refusal_in_production(demo_agreements, settings):
    code, out, err = run("agreements", "sign", "dsa-pl-rsi/2", "--as", "ig_lead@camden.example")
    assert code == 0, err
    assert AgreementVersion.objects.get(agreement_id="dsa-pl-rsi", version=2).status == "active"
    assert AgreementVersion.objects.get(agreement_id="dsa-pl-rsi", version=1).status in ("active", "superseded")
    settings.ENV = "production"
    with pytest.raises(CommandError, match="refused in production"):
        call_command("agreements", "sign", "dsa-hub-qa/1", "--as", "ig_lead@hub.example")


def test_remind_sends_each_reminder_once(pl_rsi_v1):
    # The first review is due on 1 March (Appendix A, its term following today): the 30-day reminder
    # is due 30 days before.
    reminder_day = (date.fromisoformat(pl_rsi_v1.content["time"]["first_review_due"]) - timedelta(days=30)).isoformat()
    code, out, _ = run("agreements", "remind", "--today", reminder_day)
    assert "Review of" in out
    first = Notification.objects.filter(kind="review_due").count()
    assert first and Notification.objects.filter(kind="review_due", organisation_id="camden", role="ig_lead").exists()
    run("agreements", "remind", "--today", reminder_day)
    assert Notification.objects.filter(kind="review_due").count() == first
