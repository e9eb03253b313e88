"""Joining by accession through the store and the CLI: Southwark joins the pilot agreement as a borough."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from boroughhub.agreements.models import Accession, Notification, SignOff
from boroughhub.agreements.store.accession import accede, countersign, open_for_accession
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.audit.models import AuditEntry

RSI = "bhp:rough-sleeping-strategic-insight"


@pytest.fixture
def southwark(make_user: Any, pl_rsi_v1: Any) -> Any:
    for role in ("ig_lead", "uploader", "analyst"):
        make_user(f"{role}@southwark.example", "southwark", role, password=None)
    return pl_rsi_v1


def _cli(*args: str) -> str:
    out = StringIO()
    call_command("agreements", *args, stdout=out)
    return out.getvalue()


def _upload(at: Any) -> Any:
    from boroughhub.agreements.enforce import decide_and_audit
    from boroughhub.organisations.models import User

    fields = next(d for d in _version().content["datasets"] if d["dataset_id"] == "hclic")["field_sets"]["upload"]
    return decide_and_audit(user=User.objects.get(email="uploader@southwark.example"), org_id="southwark",
                            role="uploader", action="upload", dataset="hclic", fields=set(fields), purpose=RSI, at=at)


def _version() -> Any:
    from boroughhub.agreements.models import AgreementVersion

    return AgreementVersion.objects.get(agreement_id="dsa-pl-rsi", version=1)


def test_southwark_joins_by_accession_and_no_existing_party_signs_again(southwark: Any, acting: Any) -> None:
    version = southwark
    sign_offs_before = SignOff.objects.filter(version=version).count()
    assert [v.agreement_id for v, _ in open_for_accession("southwark")] == ["dsa-pl-rsi"]

    out = _cli("accede", "dsa-pl-rsi", "--org", "southwark", "--profile", "borough", "--as", "ig_lead@southwark.example")
    assert "hub admin countersigns it next" in out
    requested = Accession.objects.get(party_id="southwark")
    assert (requested.status, requested.content_hash) == ("requested", version.content_hash)
    assert not _upload(None).permitted  # signed but not countersigned: not a party yet

    out = _cli("countersign", "dsa-pl-rsi", "--org", "southwark", "--as", "hub_admin@hub.example")
    joined = Accession.objects.get(party_id="southwark")
    assert joined.status == "joined" and "joined dsa-pl-rsi version 1" in out

    # From the accession time it may upload H-CLIC; before it (when its IG lead signed), it may not,
    # and that refusal is audited.
    assert _upload(joined.countersigned_at).permitted
    assert joined.signed_at < joined.countersigned_at
    before = _upload(joined.signed_at)
    assert (before.decision, before.primary_reason.code) == ("deny", "NO_AGREEMENT")
    assert before.audit_entry.outcome == "deny"

    # Nobody signed again; Camden's IG lead (every party's) was told; every step is in the audit chain.
    assert SignOff.objects.filter(version=version).count() == sign_offs_before
    told = Notification.objects.filter(kind="accession_joined", role="ig_lead")
    assert {n.organisation_id for n in told} == {*version.party_ids, "southwark"}
    assert "London Borough of Southwark" in told.get(organisation_id="camden").subject
    steps = [e.payload["step"] for e in AuditEntry.objects.filter(event_type="registry", agreement_id="dsa-pl-rsi")
             .order_by("seq") if e.payload.get("transition") == "accession"]
    assert steps == ["requested", "joined"]
    assert "southwark" in version.member_ids and "southwark" not in version.party_ids
    assert open_for_accession("southwark") == []


def test_refusals_say_what_to_do(southwark: Any, acting: Any) -> None:
    version = southwark
    with pytest.raises(Refused) as refused:  # a provider cannot join as a borough
        accede(acting("ig_lead", "provider-b"), version, "borough", version.content_hash, position="CEO",
               accountable_officer="CEO")
    assert refused.value.code == "ALREADY_PARTY"
    southwark_lead = acting("ig_lead", "southwark")
    for profile, code in (("hostel_provider", "PROFILE_ORG_TYPE"), ("regulator", "UNKNOWN_PROFILE")):
        with pytest.raises(Refused) as refused:
            accede(southwark_lead, version, profile, version.content_hash, position="SIRO", accountable_officer="SIRO")
        assert refused.value.code == code
    with pytest.raises(Refused) as refused:
        accede(southwark_lead, version, "borough", "sha256:" + "1" * 64, position="SIRO", accountable_officer="SIRO")
    assert refused.value.code == "CONTENT_CHANGED"
    with pytest.raises(Refused) as refused:
        accede(acting("uploader", "southwark"), version, "borough", version.content_hash, position="SIRO",
               accountable_officer="SIRO")
    assert refused.value.code == "NOT_IG_LEAD"
    assert not Accession.objects.exists()  # refused attempts change nothing

    request = accede(southwark_lead, version, "borough", version.content_hash, position="SIRO",
                     accountable_officer="SIRO")
    with pytest.raises(Refused) as refused:
        countersign(southwark_lead, request)
    assert refused.value.code == "NOT_HUB_ADMIN"
    declined = countersign(acting("hub_admin", "hub"), request, decline_reason="Not yet registered with the ICO")
    assert declined.status == "declined"
    assert Notification.objects.filter(organisation_id="southwark", kind="accession_declined").exists()
    assert not _upload(None).permitted


def test_the_cli_refuses_in_production_and_without_a_request(southwark: Any, settings: Any) -> None:
    with pytest.raises(CommandError, match="no request to join"):
        _cli("countersign", "dsa-pl-rsi", "--org", "southwark", "--as", "hub_admin@hub.example")
    settings.ENV = "production"
    with pytest.raises(CommandError, match="refused in production"):
        _cli("accede", "dsa-pl-rsi", "--org", "southwark", "--profile", "borough", "--as", "ig_lead@southwark.example")


def test_production_asks_for_a_recent_second_factor_to_join_and_to_countersign(southwark: Any, acting: Any,
                                                                               settings: Any) -> None:
    from datetime import UTC, datetime, timedelta

    version = southwark
    settings.REQUIRE_SECOND_FACTOR = True
    lead = acting("ig_lead", "southwark")
    stale = datetime.now(UTC) - timedelta(hours=1)
    for mfa_at in (None, stale):
        with pytest.raises(Refused) as refused:
            accede(lead, version, "borough", version.content_hash, position="SIRO", accountable_officer="SIRO",
                   mfa_at=mfa_at)
        assert refused.value.code == "STEP_UP_REQUIRED"
    request = accede(lead, version, "borough", version.content_hash, position="SIRO", accountable_officer="SIRO",
                     mfa_at=datetime.now(UTC))
    with pytest.raises(Refused) as refused:
        countersign(acting("hub_admin", "hub"), request)
    assert refused.value.code == "STEP_UP_REQUIRED"
    assert countersign(acting("hub_admin", "hub"), request, mfa_at=datetime.now(UTC)).status == "joined"
