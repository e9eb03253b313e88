"""Signatories, delegations and sign-offs (spec §1.10, §2.4, §2.8, §7.2).

Only the party's designated signatory, or that signatory's delegate for this version, may sign;
only against the content hash they were shown; a sign-off and its audit entry are written in one
transaction (S8). The last approval activates the version (T5).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings  # noqa: TID251 (store is the database side)

from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.models import AgreementVersion, Delegation, SignatoryDesignation, SignOff
from boroughhub.audit import AuditEntry, record_event, serialised_transaction

from .lifecycle import HUB_ADMIN, Refused, actor_org, actor_role, run_scheduled_transitions, set_status
from .notices import notify, now

MAX_DELEGATION = timedelta(days=90)
STEP_UP_WINDOW = timedelta(minutes=15)


def _active_member(user: Any, org_id: str, at: datetime) -> bool:
    """An active account holding some unrevoked role grant in the organisation now."""
    return bool(user.is_active) and user.role_grants.filter(
        organisation_id=org_id, valid_from__lte=at, valid_until__gt=at, revoked_at__isnull=True).exists()


def designated_signatory(version: AgreementVersion, party_id: str) -> SignatoryDesignation | None:
    return version.designations.filter(party_id=party_id).order_by("-at", "-id").first()


def designate_signatory(actor: Any, version: AgreementVersion, party_id: str, user: Any) -> SignatoryDesignation:
    """The party's IG lead names the person who signs for it (spec §1.10)."""
    if actor_role(actor) != "ig_lead" or actor_org(actor) != party_id:
        raise Refused("NOT_PARTY_IG_LEAD", "Only the party's own information governance lead can do this.", 403)
    if party_id not in version.party_ids:
        raise Refused("NOT_A_PARTY", "That organisation is not a party to this version.", 403)
    if version.is_terminal:
        raise Refused("TERMINAL_STATE", f"This version is {version.status}.")
    moment = now()
    if not _active_member(user, party_id, moment):
        raise Refused("NOT_A_MEMBER", "The signatory must hold an active account in your organisation.", 422)
    with serialised_transaction():
        designation = SignatoryDesignation.objects.create(
            version=version, party_id=party_id, user=user, designated_by=actor.user, at=moment)
        record_event("designation", "ok", user=actor.user, org_id=actor_org(actor), role=actor_role(actor),
                     agreement_id=version.agreement_id, agreement_version=version.version,
                     payload={"party": party_id, "signatory_user_id": str(user.pk), "change": "designated"})
    return designation


def delegate_signing(
    actor: Any, version: AgreementVersion, delegate: Any, valid_from: datetime, valid_until: datetime, reason: str
) -> Delegation:
    """The designated signatory hands signing of this one version to a colleague (spec §2.8)."""
    party_id = actor_org(actor)
    designation = designated_signatory(version, party_id)
    if designation is None or designation.user_id != actor.user.pk:
        raise Refused("NOT_SIGNATORY", "Only the designated signatory can delegate signing.", 403)
    if valid_until <= valid_from or valid_until - valid_from > MAX_DELEGATION:
        raise Refused("DELEGATION_WINDOW", "A delegation lasts at most 90 days.", 422)
    if not reason.strip():
        raise Refused("REASON_REQUIRED", "Give a reason for the delegation.", 422)
    if delegate.pk == actor.user.pk or not _active_member(delegate, party_id, now()):
        raise Refused("NOT_A_MEMBER", "The delegate must be another active member of your organisation.", 422)
    with serialised_transaction():
        delegation = Delegation.objects.create(
            version=version, party_id=party_id, delegator=actor.user, delegate=delegate, valid_from=valid_from,
            valid_until=valid_until, reason=reason, created_at=now())
        record_event("delegation", "ok", user=actor.user, org_id=party_id, role=actor_role(actor),
                     agreement_id=version.agreement_id, agreement_version=version.version,
                     payload={"delegation": delegation.pk, "delegate_user_id": str(delegate.pk), "change": "created",
                              "valid_from": valid_from, "valid_until": valid_until})
    return delegation


def _entitlement(version: AgreementVersion, party_id: str, user: Any, at: datetime) -> tuple[bool, Any, Any]:
    """(may sign, on behalf of user id, delegation): the designated signatory or their delegate."""
    designation = designated_signatory(version, party_id)
    if designation is None:
        return False, None, None
    if designation.user_id == user.pk:
        return True, None, None
    delegation = version.delegations.filter(
        party_id=party_id, delegate=user, delegator_id=designation.user_id, revoked_at__isnull=True,
        valid_from__lte=at, valid_until__gt=at).first()
    if delegation is not None:
        return True, designation.user_id, delegation
    return False, None, None


def effective_sign_offs(version: AgreementVersion) -> dict[str, SignOff]:
    """Each party's latest sign-off on the version's current hash."""
    latest: dict[str, SignOff] = {}
    for sign_off in version.sign_offs.filter(content_hash=version.content_hash).order_by("signed_at", "id"):
        latest[sign_off.party_id] = sign_off
    return latest


def sign(
    actor: Any,
    version: AgreementVersion,
    decision: str,
    shown_hash: str,
    *,
    position: str,
    reason: str = "",
    idempotency_key: str | None = None,
    mfa_at: datetime | None = None,
) -> SignOff:
    """Approve, decline or revoke for the acting organisation (T4); the last approval is T5."""
    if idempotency_key:
        earlier = SignOff.objects.filter(idempotency_key=idempotency_key, signer=actor.user).first()
        if earlier is not None:
            return earlier  # S10: a replay returns the first result
    moment = now()
    party_id = actor_org(actor)
    _check_session(actor, mfa_at, moment)
    with serialised_transaction():
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != "in_signature":
            code = "ALREADY_ACTIVE" if decision == "revoke" and version.status == "active" else "NOT_IN_SIGNATURE"
            raise Refused(code, f"This version is {version.status.replace('_', ' ')}, not in signature.")
        allowed, on_behalf_of, delegation = (
            _entitlement(version, party_id, actor.user, moment)
            if party_id in version.party_ids and actor_role(actor) != HUB_ADMIN and actor.user.is_active
            else (False, None, None))
    if not allowed:
        _refuse_signature(actor, version, "SIGNER_NOT_AUTHORISED", shown_hash)
        raise Refused("SIGNER_NOT_AUTHORISED",
                      "You are not the designated signatory for your organisation, nor their delegate.", 403)
    with serialised_transaction():
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if shown_hash != version.content_hash or content_hash(version.content) != version.content_hash:
            raise Refused("CONTENT_CHANGED", "The text has changed since it was shown to you. Read it again.")
        if decision not in ("approve", "decline", "revoke"):
            raise Refused("BAD_DECISION", "Choose approve, decline or revoke.", 422)
        if decision in ("decline", "revoke") and not reason.strip():
            raise Refused("REASON_REQUIRED", "Give a reason.", 422)
        current = effective_sign_offs(version).get(party_id)
        if decision == "approve" and current is not None and current.decision == "approve":
            raise Refused("ALREADY_SIGNED", "Your organisation has already approved this text.")
        if decision == "revoke" and (current is None or current.decision != "approve"):
            raise Refused("NOTHING_TO_REVOKE", "Your organisation has no approval of this text to revoke.")
        entry = record_event(
            "sign_off", "ok", user=actor.user, org_id=party_id, role=actor_role(actor),
            agreement_id=version.agreement_id, agreement_version=version.version,
            payload={"party": party_id, "decision": decision, "content_hash": version.content_hash,
                     "on_behalf_of_user_id": on_behalf_of, "delegation": delegation.pk if delegation else None,
                     "signer_position": position})
        sign_off = SignOff.objects.create(
            version=version, party_id=party_id, signer=actor.user, signer_position=position,
            on_behalf_of_id=on_behalf_of, delegation=delegation, decision=decision, reason=reason,
            content_hash=version.content_hash, signed_at=moment, mfa_at=mfa_at, audit_seq=entry.seq,
            idempotency_key=idempotency_key or None)
        if decision == "approve" and _all_parties_approved(version):
            set_status(version, "active", transition="T5", reason="every party approved")
    if version.status == "active":
        run_scheduled_transitions()
    return sign_off


def _all_parties_approved(version: AgreementVersion) -> bool:
    latest = effective_sign_offs(version)
    return all(p in latest and latest[p].decision == "approve" for p in version.party_ids)


def _check_session(actor: Any, mfa_at: datetime | None, moment: datetime) -> None:
    """S1: in production a second factor within the last 15 minutes (optional in the demo, §7.5)."""
    if getattr(settings, "REQUIRE_SECOND_FACTOR", False) and (mfa_at is None or moment - mfa_at > STEP_UP_WINDOW):
        raise Refused("STEP_UP_REQUIRED", "Confirm your second factor again before signing.", 401)


def _refuse_signature(actor: Any, version: AgreementVersion, code: str, shown_hash: str) -> None:
    """S2: a refused attempt leaves a ``sign_refused`` entry; three in 24 hours alert the party."""
    record_event("sign_refused", "refused", user=actor.user, org_id=actor_org(actor), role=actor_role(actor),
                 agreement_id=version.agreement_id, agreement_version=version.version,
                 payload={"refusal_code": code, "shown_hash": shown_hash})
    recent = AuditEntry.objects.filter(
        event_type="sign_refused", agreement_id=version.agreement_id, agreement_version=version.version,
        org=actor_org(actor), occurred_at__gte=now() - timedelta(hours=24)).count()
    if recent >= 3:
        for role in ("ig_lead", "privacy_officer"):
            notify(actor_org(actor), role, "signing_refusals",
                   f"Repeated refused signing attempts on {version.title} (version {version.version})",
                   f"{recent} attempts to sign for your organisation were refused in 24 hours.",
                   link=f"/agreements/{version.agreement_id}/{version.version}", key=None)
