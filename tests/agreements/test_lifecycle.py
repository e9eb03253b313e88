"""Lifecycle and signing rules: T1–T13, §7.2 signing, §7.3 no reactivation without re-signature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, transaction

from boroughhub.agreements import enforce
from boroughhub.agreements.models import SignOff, StatusChange
from boroughhub.agreements.store import lifecycle, signing
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.audit import store
from boroughhub.audit.models import AuditEntry


def refused_code(call, *args, **kwargs) -> str:
    with pytest.raises(Refused) as refused:
        call(*args, **kwargs)
    return refused.value.code


@pytest.fixture
def v2(demo_agreements):
    return demo_agreements["dsa-pl-rsi/2"]


def test_only_the_designated_signatory_signs_and_refusals_are_audited(v2, acting):
    # Camden's analyst and Camden's privacy officer are not Camden's designated signatory.
    for role in ("analyst", "privacy_officer", "uploader"):
        code = refused_code(signing.sign, acting(role, "camden"), v2, "approve", v2.content_hash, position="x")
        assert code == "SIGNER_NOT_AUTHORISED"
    # A hub admin can never sign; the hub is no party of this version anyway.
    assert refused_code(signing.sign, acting("hub_admin", "hub"), v2, "approve", v2.content_hash,
                        position="x") == "SIGNER_NOT_AUTHORISED"
    refusals = AuditEntry.objects.filter(event_type="sign_refused", agreement_id="dsa-pl-rsi", agreement_version=2)
    assert refusals.count() == 4 and refusals.first().outcome == "refused"
    assert not SignOff.objects.filter(version=v2, party_id="camden").exists()
    # Three refusals in 24 hours alert Camden's IG lead and privacy officer.
    from boroughhub.agreements.models import Notification
    assert Notification.objects.filter(kind="signing_refusals", organisation_id="camden").count() == 2


def test_a_signature_against_a_changed_text_cannot_happen(v2, acting):
    shown = v2.content_hash
    with store.append_only_enforced():
        v2.content = {**v2.content, "title": "Something else entirely"}
        v2.save()  # tampering with the stored text behind the hub's back
    assert refused_code(signing.sign, acting("ig_lead", "camden"), v2, "approve", shown, position="SIRO") \
        == "CONTENT_CHANGED"
    assert refused_code(signing.sign, acting("ig_lead", "camden"), v2, "approve", "sha256:" + "0" * 64,
                        position="SIRO") == "CONTENT_CHANGED"
    assert not SignOff.objects.filter(version=v2, party_id="camden").exists()


def test_the_last_approval_activates_and_supersedes(v2, demo_agreements, acting):
    sign_off = signing.sign(acting("ig_lead", "camden"), v2, "approve", v2.content_hash, position="SIRO",
                            idempotency_key="k-1")
    v2.refresh_from_db()
    assert v2.status == "active" and sign_off.audit_seq == AuditEntry.objects.get(seq=sign_off.audit_seq).seq
    assert signing.sign(acting("ig_lead", "camden"), v2, "approve", v2.content_hash, position="SIRO",
                        idempotency_key="k-1") == sign_off  # a replay returns the first result
    v1 = demo_agreements["dsa-pl-rsi/1"]
    v1.refresh_from_db()
    assert v1.status == "superseded"
    assert refused_code(lifecycle.resume, acting("ig_lead", "camden"), v1) == "TERMINAL_STATE"


def test_delegate_signs_on_behalf_of_the_signatory(v2, acting, make_user):
    deputy = make_user("deputy@camden.example", "camden", "analyst", password=None)
    now = datetime.now(UTC)
    signing.delegate_signing(acting("ig_lead", "camden"), v2, deputy, now - timedelta(minutes=1),
                             now + timedelta(days=30), "SIRO on leave")
    from boroughhub.organisations.acting import Acting
    grant = deputy.role_grants.get()
    sign_off = signing.sign(Acting(deputy, grant.organisation, grant.role, grant.pk), v2, "approve",
                            v2.content_hash, position="Deputy SIRO")
    assert sign_off.on_behalf_of_id == acting("ig_lead", "camden").user.pk and sign_off.delegation_id


def test_decline_needs_a_reason_and_repeat_approval_is_refused(v2, acting):
    lead = acting("ig_lead", "gla")
    assert refused_code(signing.sign, lead, v2, "approve", v2.content_hash, position="x") == "ALREADY_SIGNED"
    assert refused_code(signing.sign, lead, v2, "decline", v2.content_hash, position="x") == "REASON_REQUIRED"
    signing.sign(lead, v2, "revoke", v2.content_hash, position="SIRO", reason="Board asked for changes")
    signing.sign(acting("ig_lead", "camden"), v2, "approve", v2.content_hash, position="SIRO")
    v2.refresh_from_db()
    assert v2.status == "in_signature"  # the GLA's approval was revoked


def test_expired_agreement_cannot_be_reactivated_without_resignature(pl_rsi_v1, acting, demo_people):
    lifecycle.suspend(acting("ig_lead", "camden"), pl_rsi_v1, "Checking a complaint")
    later = pl_rsi_v1.expires_at + timedelta(seconds=1)
    with mock.patch.object(lifecycle, "now", return_value=later):
        assert refused_code(lifecycle.resume, acting("ig_lead", "camden"), pl_rsi_v1) == "TERMINAL_STATE"
    pl_rsi_v1.refresh_from_db()
    assert pl_rsi_v1.status == "expired"
    for transition in (lifecycle.suspend, lifecycle.terminate):
        assert refused_code(transition, acting("ig_lead", "camden"), pl_rsi_v1, "again") == "TERMINAL_STATE"
    assert not enforce.decide_and_audit(
        user=demo_people("analyst", "camden"), org_id="camden", role="analyst", action="view_aggregate",
        dataset="metric_values", fields={"value"}, purpose="bhp:rough-sleeping-strategic-insight").permitted


def test_expiry_by_the_clock(pl_rsi_v1):
    moved = lifecycle.run_scheduled_transitions(pl_rsi_v1.expires_at)
    assert moved == ["dsa-pl-rsi version 1 expired"]
    assert StatusChange.objects.filter(version=pl_rsi_v1).last().at == pl_rsi_v1.expires_at


def test_who_may_move_a_version(v2, demo_agreements, acting):
    v1 = demo_agreements["dsa-pl-rsi/1"]
    assert refused_code(lifecycle.recall, acting("ig_lead", "gla"), v2) == "NOT_LEAD_PARTY"
    assert refused_code(lifecycle.suspend, acting("analyst", "camden"), v1, "x") == "NOT_IG_LEAD"
    assert refused_code(lifecycle.suspend, acting("ig_lead", "hub"), v1, "x") == "NOT_A_PARTY"
    assert refused_code(lifecycle.suspend, acting("ig_lead", "gla"), v1, " ") == "REASON_REQUIRED"
    assert refused_code(lifecycle.start_new_version, acting("ig_lead", "gla"), v1.agreement) == "VERSION_OPEN"
    lifecycle.suspend(acting("hub_admin", "hub"), v1, "Security emergency")
    assert refused_code(lifecycle.resume, acting("ig_lead", "camden"), v1) == "NOT_SUSPENDER"
    lifecycle.resume(acting("hub_admin", "hub"), v1)
    lifecycle.recall(acting("ig_lead", "camden"), v2)
    v2.refresh_from_db()
    assert v2.status == "draft"
    assert refused_code(lifecycle.edit_draft, acting("ig_lead", "gla"), v2, v2.content, v2.revision - 1) \
        == "EDIT_CONFLICT"
    lifecycle.edit_draft(acting("ig_lead", "gla"), v2, {**v2.content, "summary": "Changed by the GLA."}, v2.revision)
    lifecycle.abandon(acting("ig_lead", "camden"), v2, "Starting again")
    assert lifecycle.start_new_version(acting("ig_lead", "gla"), v1.agreement).version == 3


def test_status_history_and_sign_offs_are_append_only(v2):
    with store.append_only_enforced():
        for table in ("agreements_statuschange", "agreements_signoff"):
            with pytest.raises(DatabaseError), transaction.atomic():
                from django.db import connection
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {table}")


def test_production_signing_needs_a_recent_second_factor(v2, acting, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    camden = acting("ig_lead", "camden")
    assert refused_code(signing.sign, camden, v2, "approve", v2.content_hash, position="SIRO") == "STEP_UP_REQUIRED"
    stale = datetime.now(UTC) - timedelta(minutes=16)
    assert refused_code(signing.sign, camden, v2, "approve", v2.content_hash, position="SIRO",
                        mfa_at=stale) == "STEP_UP_REQUIRED"
    fresh = datetime.now(UTC) - timedelta(minutes=1)
    assert signing.sign(camden, v2, "approve", v2.content_hash, position="SIRO", mfa_at=fresh).mfa_at == fresh
