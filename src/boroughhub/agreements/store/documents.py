"""Version documents (spec §1.4, Appendix A) and the enforcement snapshot, read from the database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min  # noqa: TID251 (store is the database side)

from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.models import (
    AgreementVersion,
    Dataset,
    Purpose,
    RegistryRevision,
    bump_registry_revision,
)
from boroughhub.agreements.snapshot import AgreementVersion as SnapshotVersion
from boroughhub.agreements.snapshot import Dataset as SnapshotDataset
from boroughhub.agreements.snapshot import Organisation as SnapshotOrganisation
from boroughhub.agreements.snapshot import Purpose as SnapshotPurpose
from boroughhub.agreements.snapshot import RoleGrant as SnapshotRoleGrant
from boroughhub.agreements.snapshot import Snapshot
from boroughhub.audit import format_instant

DOCUMENT_FORMAT = "boroughhub-dsa/1.0"

__all__ = ["bump_registry_revision", "load_snapshot", "registry_fingerprint", "version_document"]


def instant(value: datetime | None) -> str | None:
    """An instant as the documents write it: UTC, ``Z``, seconds (microseconds only when set)."""
    if value is None:
        return None
    text = format_instant(value)
    return text.replace(".000000Z", "Z")


def version_document(version: AgreementVersion) -> dict[str, Any]:
    """The full version document: content plus envelope, as exported and as enforcement reads it."""
    return {
        "format": DOCUMENT_FORMAT,
        "agreement_id": version.agreement_id,
        "version": version.version,
        "content": version.content,
        "content_hash": version.content_hash or _draft_hash(version),
        "status": version.status,
        "status_history": [
            {"status": s.status, "at": instant(s.at), "by": s.by, **({"reason": s.reason} if s.reason else {})}
            for s in version.status_history.all()
        ],
        "lead_party": version.lead_party_id,
        "signatory_designations": [
            {"party": d.party_id, "user_id": str(d.user_id), "designated_by": str(d.designated_by_id),
             "at": instant(d.at)}
            for d in version.designations.all()
        ],
        "delegations": [
            {"id": f"dlg-{d.pk}", "party": d.party_id, "delegator_user_id": str(d.delegator_id),
             "delegate_user_id": str(d.delegate_id),
             "scope": {"agreement_id": version.agreement_id, "version": version.version},
             "valid_from": instant(d.valid_from), "valid_until": instant(d.valid_until), "reason": d.reason,
             "created_at": instant(d.created_at), "revoked_at": instant(d.revoked_at)}
            for d in version.delegations.all()
        ],
        "sign_offs": [
            {"id": f"so-{s.pk}", "party": s.party_id, "signer_user_id": str(s.signer_id),
             "signer_position": s.signer_position,
             "on_behalf_of_user_id": str(s.on_behalf_of_id) if s.on_behalf_of_id else None,
             "delegation_id": f"dlg-{s.delegation_id}" if s.delegation_id else None,
             "decision": s.decision, **({"reason": s.reason} if s.reason else {}),
             "content_hash": s.content_hash, "signed_at": instant(s.signed_at), "mfa_at": instant(s.mfa_at),
             "audit_seq": s.audit_seq}
            for s in version.sign_offs.all()
        ],
        "withdrawals": [
            {"party": w.party_id, "notice_given_at": instant(w.notice_given_at),
             "effective_at": instant(w.effective_at), "by_user_id": str(w.by_user_id),
             **({"reason": w.reason} if w.reason else {})}
            for w in version.withdrawals.all()
        ],
        **({"accessions": [accession_record(a) for a in version.accessions.all()]}
           if version.accessions.all() else {}),
        "reviews": [
            {"reviewed_on": r.reviewed_on.isoformat(), "by_user_id": str(r.by_user_id), "outcome": r.outcome,
             **({"notes": r.notes} if r.notes else {}),
             "next_review_due": r.next_review_due.isoformat() if r.next_review_due else None}
            for r in version.reviews.all()
        ],
    }


def versions_with_envelope() -> Iterable[AgreementVersion]:
    return AgreementVersion.objects.exclude(status="abandoned").prefetch_related(
        "status_history", "designations", "delegations", "sign_offs", "withdrawals", "reviews", "accessions"
    )


def accession_record(a: Any) -> dict[str, Any]:
    """An accession as the envelope's ``accessions[]`` (amendment ``docs/agreements-accession.md`` §A.2)."""
    return {"id": f"acc-{a.pk}", "party": a.party_id, "profile": a.profile, "status": a.status,
            "content_hash": a.content_hash, "accountable_officer": a.accountable_officer,
            "signer_user_id": str(a.signer_id), "signer_position": a.signer_position,
            "signed_at": instant(a.signed_at), "mfa_at": instant(a.mfa_at), "audit_seq": a.audit_seq,
            "countersigned_by_user_id": str(a.countersigned_by_id) if a.countersigned_by_id else None,
            "countersigned_at": instant(a.countersigned_at), "countersign_audit_seq": a.countersign_audit_seq,
            **({"reason": a.reason} if a.reason else {})}


# ----------------------------------------------------------------------------- the snapshot


def registry_fingerprint() -> tuple[Any, ...]:
    """What identifies the registry state: the revision counter, plus aggregates of role grants
    and suspensions (the organisations app may change those in bulk, without save signals)."""
    from boroughhub.organisations import OrganisationSuspension, RoleGrant

    revision = RegistryRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    grants = RoleGrant.objects.aggregate(
        n=Count("id"), top=Max("id"), revoked=Max("revoked_at"), until=Max("valid_until"),
        until_min=Min("valid_until"), start=Max("valid_from"))
    suspensions = OrganisationSuspension.objects.aggregate(
        n=Count("id"), top=Max("id"), ends=Max("ends_at"), ends_min=Min("ends_at"), starts=Max("starts_at"))
    return (revision, tuple(sorted(grants.items())), tuple(sorted(suspensions.items())))


def load_snapshot(registry_revision: int | str) -> Snapshot:
    """The whole registry as ``policy.decide`` reads it (spec §3.1). Hashes are recomputed here."""
    from boroughhub.organisations import Organisation, OrganisationSuspension, RoleGrant

    suspensions: dict[str, list[dict[str, Any]]] = {}
    for s in OrganisationSuspension.objects.all():
        suspensions.setdefault(s.organisation_id, []).append(
            {"from": instant(s.starts_at), "until": instant(s.ends_at), "reason": s.reason, "by": str(s.set_by_id)})
    organisations = [
        SnapshotOrganisation.from_dict({
            "id": o.id, "name": o.name, "type": o.type, "status": o.status, "ons_code": o.ons_code,
            "supplier_code": o.supplier_code, "suspensions": suspensions.get(o.id, [])})
        for o in Organisation.objects.all()
    ]
    grants = [
        SnapshotRoleGrant.from_dict({
            "id": g.pk, "user_id": str(g.user_id), "org_id": g.organisation_id, "role": g.role,
            "valid_from": instant(g.valid_from), "valid_until": instant(g.valid_until),
            "revoked_at": instant(g.revoked_at)})
        for g in RoleGrant.objects.filter(user__is_active=True)
    ]
    versions = []
    for version in versions_with_envelope():
        if not version.status_history.all():
            continue
        try:
            versions.append(SnapshotVersion.from_document(version_document(version)))
        except (KeyError, TypeError, ValueError):
            # A draft may be incomplete; it can never permit, so enforcement may skip it.
            if version.status not in ("draft",):
                raise
    return Snapshot.build(
        organisations=organisations,
        role_grants=grants,
        datasets=[SnapshotDataset.from_dict(d.as_register_dict()) for d in Dataset.objects.all()],
        purposes=[SnapshotPurpose.from_dict(p.as_register_dict()) for p in Purpose.objects.all()],
        versions=versions,
        registry_revision=registry_revision,
    )


def _draft_hash(version: AgreementVersion) -> str:
    """A draft has no fixed hash yet (T3 fixes it); its document shows the hash of its content now."""
    try:
        return content_hash(version.content)
    except (TypeError, ValueError):
        return ""


def party_ids_of(agreement_id: str, version: int | None) -> list[str]:
    found = AgreementVersion.objects.filter(agreement_id=agreement_id, version=version).first()
    return found.member_ids if found is not None else []
