"""Joining an active version by accession (amendment ``docs/agreements-accession.md`` §A.4).

Two steps, each with its audit entry (a ``registry`` entry, transition ``accession``) in the same transaction:

1. :func:`accede` -- the joining organisation's IG lead signs the version's content hash under one
   profile of its accession clause (a *request*);
2. :func:`countersign` -- the hub admin countersigns (the organisation is a party from that
   instant) or declines with a reason.

On joining, every existing party's IG leads are notified; nobody signs again. Refusals are
:class:`Refused` with the amendment's codes and a message saying what to do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boroughhub.agreements.accession import AccessionProfile, accession_profiles
from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.models import Accession, AgreementVersion
from boroughhub.audit import record_event, serialised_transaction

from .lifecycle import HUB_ADMIN, IG_LEAD, Refused, actor_org, actor_role, now
from .signing import _check_session


def open_for_accession(org_id: str, at: datetime | None = None) -> list[tuple[AgreementVersion, list[AccessionProfile]]]:
    """Active versions in force that ``org_id`` is not (and has not asked to be) party to, with the
    profiles its organisation type may join under. What the accession pages offer, by the rule that guards them."""
    from boroughhub.organisations import Organisation

    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None or organisation.status != "active":
        return []
    moment = at or now()
    found = []
    for version in AgreementVersion.objects.filter(status="active").select_related("agreement"):
        if _blocked(version, org_id, moment) is not None:
            continue
        profiles = [p for p in accession_profiles(version.content).values() if organisation.type in p.org_types]
        if profiles:
            found.append((version, profiles))
    return found


def _blocked(version: AgreementVersion, org_id: str, moment: datetime) -> Refused | None:
    """Why ``org_id`` cannot ask to join ``version`` now, or None."""
    if not accession_profiles(version.content):
        return Refused("ACCESSION_NOT_OFFERED", "This version has no accession clause: joining it needs a new version.")
    if version.status != "active" or version.expires_at is None or moment >= version.expires_at:
        return Refused("NOT_ACTIVE", "Only an active version can be joined by accession.")
    if org_id in version.party_ids:
        return Refused("ALREADY_PARTY", "Your organisation is already a party to this version.")
    if version.withdrawals.filter(party_id=org_id).exists():
        return Refused("WITHDRAWN", "Your organisation withdrew from this version: joining again needs a new version.")
    earlier = version.accessions.filter(party_id=org_id, status__in=("requested", "joined")).first()
    if earlier is not None:
        return Refused("ALREADY_REQUESTED" if earlier.status == "requested" else "ALREADY_PARTY",
                       "Your organisation has already asked to join; the hub admin countersigns it."
                       if earlier.status == "requested" else "Your organisation is already a party to this version.")
    return None


def accede(actor: Any, version: AgreementVersion, profile_id: str, shown_hash: str, *, position: str,
           accountable_officer: str, mfa_at: datetime | None = None) -> Accession:
    """The joining organisation's IG lead signs ``shown_hash`` under ``profile_id`` (step 1)."""
    from boroughhub.agreements.models import Dataset
    from boroughhub.organisations import Organisation

    if actor_role(actor) != IG_LEAD:
        raise Refused("NOT_IG_LEAD", "Only your organisation's information governance lead can join an agreement.", 403)
    moment = now()
    _check_session(actor, mfa_at, moment)
    org_id = actor_org(actor)
    if not position.strip() or not accountable_officer.strip():
        raise Refused("DETAILS_REQUIRED", "Enter your position and your organisation's accountable officer.", 422)
    with serialised_transaction():
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        blocked = _blocked(version, org_id, moment)
        if blocked is not None:
            raise blocked
        profile = accession_profiles(version.content).get(profile_id)
        if profile is None:
            raise Refused("UNKNOWN_PROFILE", "Choose one of the profiles this version offers.", 422)
        organisation = Organisation.objects.get(pk=org_id)
        if organisation.status != "active" or organisation.type not in profile.org_types:
            raise Refused("PROFILE_ORG_TYPE", f"The {profile.title} profile is not open to your type of organisation.",
                          422)
        for dataset_id in sorted(profile.supplies):
            registered = Dataset.objects.filter(pk=dataset_id).values_list("registered_suppliers", flat=True).first()
            if org_id not in (registered or []):
                raise Refused("NOT_REGISTERED_SUPPLIER", f"Your organisation is not a registered supplier of "
                              f"{dataset_id}: ask a hub admin to register it first.", 422)
        if shown_hash != version.content_hash or content_hash(version.content) != version.content_hash:
            raise Refused("CONTENT_CHANGED", "The text has changed since it was shown to you. Read it again.")
        entry = record_event(
            "registry", "ok", user=actor.user, org_id=org_id, role=actor_role(actor),
            agreement_id=version.agreement_id, agreement_version=version.version,
            payload={"transition": "accession", "step": "requested", "party": org_id, "profile": profile.id, "content_hash": version.content_hash,
                     "signer_position": position, "accountable_officer": accountable_officer})
        accession = Accession.objects.create(
            version=version, party_id=org_id, profile=profile.id, content_hash=version.content_hash,
            accountable_officer=accountable_officer, signer=actor.user, signer_position=position, signed_at=moment,
            mfa_at=mfa_at, audit_seq=entry.seq)
    _notify_hub_admins(version, organisation.name, profile)
    return accession


def countersign(actor: Any, accession: Accession, *, decline_reason: str = "",
                mfa_at: datetime | None = None) -> Accession:
    """The hub admin countersigns a request (the organisation is a party from now) or declines it (step 2)."""
    if actor_role(actor) != HUB_ADMIN:
        raise Refused("NOT_HUB_ADMIN", "Only a hub admin countersigns an accession.", 403)
    moment = now()
    _check_session(actor, mfa_at, moment)
    with serialised_transaction():
        accession = Accession.objects.select_for_update().select_related("version", "party").get(pk=accession.pk)
        version = accession.version
        if accession.status != "requested":
            raise Refused("NO_PENDING_ACCESSION", f"This accession is already {accession.status}.")
        declining = bool(decline_reason.strip())
        if not declining:
            if version.status != "active" or version.expires_at is None or moment >= version.expires_at:
                raise Refused("NOT_ACTIVE", "The version is no longer active: decline this request instead.")
            if accession.content_hash != version.content_hash or content_hash(version.content) != version.content_hash:
                raise Refused("CONTENT_CHANGED", "The text signed is not the version's text: decline this request.")
        entry = record_event(
            "registry", "ok", user=actor.user, org_id=actor_org(actor), role=actor_role(actor),
            agreement_id=version.agreement_id, agreement_version=version.version,
            payload={"transition": "accession", "step": "declined" if declining else "joined", "party": accession.party_id,
                     "profile": accession.profile, "content_hash": accession.content_hash,
                     "reason": decline_reason or None})
        accession.status = "declined" if declining else "joined"
        accession.reason = decline_reason
        accession.countersigned_by = actor.user
        accession.countersigned_at = moment
        accession.countersign_mfa_at = mfa_at
        accession.countersign_audit_seq = entry.seq
        accession.save()
    _tell_the_parties(accession)
    return accession


def _notify_hub_admins(version: AgreementVersion, name: str, profile: AccessionProfile) -> None:
    from .reminders import notify

    notify("hub", HUB_ADMIN, "accession_requested",
           f"{name} asks to join {version.title} (version {version.version}) as a {profile.title.lower()}",
           "Countersign or decline the request.", link=f"/agreements/{version.agreement_id}/{version.version}/accessions",
           key=None)


def _tell_the_parties(accession: Accession) -> None:
    """On joining, every party's IG leads (and the newcomer's) hear of it; a decline goes to the requester."""
    from .reminders import notify

    version = accession.version
    name = accession.party.name
    link = f"/agreements/{version.agreement_id}/{version.version}"
    if accession.status == "declined":
        notify(accession.party_id, IG_LEAD, "accession_declined",
               f"Your request to join {version.title} (version {version.version}) was declined",
               accession.reason, link="/agreements/join", key=None)
        return
    for org_id in version.member_ids:
        notify(org_id, IG_LEAD, "accession_joined",
               f"{name} joined {version.title} (version {version.version}) as a {accession.profile.replace('_', ' ')}",
               "It joined under the accession clause you signed, for that profile's permissions only. "
               "Nothing needs signing again.", link=link, key=None)
