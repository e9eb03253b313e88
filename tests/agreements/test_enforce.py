"""The enforcement adapter: decisions against the database registry, audited before they return."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest

from boroughhub.agreements import enforce
from boroughhub.agreements.store import lifecycle
from boroughhub.audit import store
from boroughhub.audit.models import AuditEntry

RSI = "bhp:rough-sleeping-strategic-insight"
INS4 = {"metric", "period", "area_code", "value"}
IN_FORCE = None  # the server clock: the demo agreement became active when the test signed it


def ask(person, role, org, **kwargs):
    values = {"action": "view_aggregate", "dataset": "metric_values", "fields": INS4, "purpose": RSI, "at": IN_FORCE}
    values.update(kwargs)
    return enforce.decide_and_audit(user=person(role, org), org_id=org, role=role, **values)


def test_permit_is_audited_before_it_returns_and_access_follows(pl_rsi_v1, demo_people):
    decision = ask(demo_people, "analyst", "camden")
    assert decision.permitted and decision.agreement_id == "dsa-pl-rsi"
    entry = decision.audit_entry
    assert (entry.event_type, entry.outcome, entry.org, entry.role) == ("decision", "permit", "camden", "analyst")
    assert entry.reasons[0]["code"] == "PERMITTED" and entry.obligations["min_cell_size"] == 10
    assert entry.fields == sorted(INS4) and entry.permission_id == "P-INSIGHTS"
    access = enforce.record_access(decision, row_count=12)
    assert access.decision_entry_id == str(entry.entry_id) and access.row_count == 12
    assert store.verify_stored_chain().ok


def test_deny_is_audited_and_access_after_deny_is_refused(pl_rsi_v1, demo_people):
    decision = ask(demo_people, "analyst", "camden", action="export", dataset="chain", fields={"area_code"})
    assert not decision.permitted
    assert decision.audit_entry.outcome == "deny" and decision.audit_entry.reasons[0]["code"] == "PROHIBITED"
    with pytest.raises(ValueError):
        enforce.record_access(decision, row_count=1)


def test_role_not_held_and_ceiling(pl_rsi_v1, demo_people):
    assert ask(demo_people, "uploader", "camden").primary_reason.code == "ROLE_ACTION_CEILING"
    other = ask(demo_people, "analyst", "camden", at=IN_FORCE)
    assert other.permitted
    # camden's analyst does not hold an analyst grant at westminster
    denied = enforce.decide_and_audit(user=demo_people("analyst", "camden"), org_id="westminster", role="analyst",
                                      action="view_aggregate", dataset="metric_values", fields=INS4, purpose=RSI,
                                      at=IN_FORCE)
    assert denied.primary_reason.code == "ROLE_NOT_HELD"


def test_any_exception_is_an_audited_internal_error(pl_rsi_v1, demo_people):
    with mock.patch.object(enforce.snapshot_cache, "get", side_effect=RuntimeError("boom")):
        decision = ask(demo_people, "analyst", "camden")
    assert decision.decision == "deny" and decision.primary_reason.code == "INTERNAL_ERROR"
    assert decision.audit_entry.reasons == [{"code": "INTERNAL_ERROR"}]


def test_failure_to_audit_fails_the_request(pl_rsi_v1, demo_people):
    with mock.patch.object(enforce.audit, "record_event", side_effect=RuntimeError("disk full")), \
            pytest.raises(RuntimeError):
        ask(demo_people, "analyst", "camden")


def test_suspension_denies_at_once_and_resume_restores(pl_rsi_v1, demo_people, acting):
    lifecycle.suspend(acting("ig_lead", "westminster"), pl_rsi_v1, "Data breach under investigation")
    assert ask(demo_people, "analyst", "camden").primary_reason.code \
        == "AGREEMENT_SUSPENDED"
    with pytest.raises(lifecycle.Refused) as refused:
        lifecycle.resume(acting("ig_lead", "camden"), pl_rsi_v1)
    assert refused.value.code == "NOT_SUSPENDER"
    lifecycle.resume(acting("ig_lead", "westminster"), pl_rsi_v1)
    assert ask(demo_people, "analyst", "camden", at=None).permitted


def test_snapshot_is_rebuilt_when_a_grant_is_revoked_in_bulk(pl_rsi_v1, demo_people):
    from boroughhub.organisations.models import RoleGrant

    assert ask(demo_people, "analyst", "camden", at=None).permitted
    RoleGrant.objects.filter(user=demo_people("analyst", "camden")).update(revoked_at=datetime.now(UTC))
    assert ask(demo_people, "analyst", "camden", at=None).primary_reason.code == "ROLE_NOT_HELD"


def test_request_decision_takes_identity_from_the_session(pl_rsi_v1, demo_people, acting, rf):
    request = rf.get("/")
    request.acting = acting("analyst", "camden")
    decision = enforce.request_decision(request, "view_aggregate", "metric_values", INS4, RSI)
    assert decision.permitted
    assert AuditEntry.objects.filter(event_type="decision", user_id=str(demo_people("analyst", "camden").pk)).exists()


def test_a_changed_text_denies_with_integrity_failure_and_alerts(pl_rsi_v1, demo_people):
    from boroughhub.agreements.models import Notification

    pl_rsi_v1.content = {**pl_rsi_v1.content, "summary": "Quietly changed after signature."}
    pl_rsi_v1.save()
    decision = ask(demo_people, "analyst", "camden")
    assert decision.decision == "deny" and decision.primary_reason.code == "INTEGRITY_FAILURE"
    alerted = set(Notification.objects.filter(kind="integrity_failure").values_list("organisation_id", "role"))
    assert ("camden", "privacy_officer") in alerted and ("hub", "hub_admin") in alerted
