"""The lifecycle of agreement versions: transitions T1–T13 of spec §2.2, each with who may move it.

Every transition writes its status-history row, the version's status and a ``registry`` audit
entry in one transaction. Refusals raise :class:`Refused`, whose ``code`` and ``http_status``
follow spec §7.2–§7.3. Signing lives in ``signing.py``; time-driven moves at the end of this file.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q  # noqa: TID251 (store is the database side)

from boroughhub.agreements.accession_carry import Joiner, carry_joiners
from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.models import (
    TERMINAL_STATUSES,
    Agreement,
    AgreementVersion,
    StatusChange,
    Template,
    VersionParty,
)
from boroughhub.audit import record_event, serialised_transaction, sha256_hex

from .notices import notify, now
from .validation import validate_for_submission

IG_LEAD = "ig_lead"
HUB_ADMIN = "hub_admin"
OPEN_STATUSES = ("draft", "in_signature")


class Refused(Exception):
    """A transition or signature that is not allowed; ``code`` is the spec's refusal code."""

    def __init__(self, code: str, message: str, http_status: int = 409) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


def actor_org(actor: Any) -> str:
    return str(actor.organisation.pk)


def actor_role(actor: Any) -> str:
    return str(actor.role)


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def _refresh_derived(version: AgreementVersion) -> None:
    """Copy the content's window and first review date into columns, and rebuild the party rows."""
    from boroughhub.organisations import Organisation

    time = version.content.get("time", {}) if isinstance(version.content, dict) else {}
    version.effective_from = _parse_instant(time.get("effective_from"))
    version.expires_at = _parse_instant(time.get("expires_at"))
    review = time.get("first_review_due")
    try:
        version.review_due = datetime.strptime(review, "%Y-%m-%d").date() if isinstance(review, str) else None
    except ValueError:
        version.review_due = None
    version.save()
    VersionParty.objects.filter(version=version).delete()
    parties = {p.get("org_id"): p.get("role", "") for p in version.content.get("parties", []) if isinstance(p, dict)}
    known = set(Organisation.objects.filter(pk__in=list(parties)).values_list("pk", flat=True))
    VersionParty.objects.bulk_create(
        VersionParty(version=version, organisation_id=org, role=str(role)) for org, role in parties.items()
        if org in known)


def _audit_registry(actor: Any, version: AgreementVersion, transition: str, payload: dict[str, Any]) -> None:
    record_event(
        "registry", "ok",
        user=getattr(actor, "user", None) if actor is not None else "system",
        org_id=actor_org(actor) if actor is not None else None,
        role=actor_role(actor) if actor is not None else None,
        agreement_id=version.agreement_id, agreement_version=version.version,
        payload={"transition": transition, **payload},
    )


def set_status(
    version: AgreementVersion, status: str, *, transition: str, actor: Any = None, reason: str = "",
    at: datetime | None = None,
) -> None:
    """Append to the status history, move ``status`` and audit it (inside the caller's transaction)."""
    moment = at or now()
    previous = version.status
    StatusChange.objects.create(
        version=version, status=status, at=moment,
        by=str(actor.user.pk) if actor is not None else "system",
        by_org=actor_org(actor) if actor is not None else "",
        by_role=actor_role(actor) if actor is not None else "", reason=reason,
    )
    version.status = status
    if status == "active" and version.activated_at is None:
        version.activated_at = moment
    version.save(update_fields=["status", "activated_at"])
    _audit_registry(actor, version, transition, {"from": previous, "to": status, "reason": reason or None})


def _require_ig_lead(actor: Any) -> None:
    if actor_role(actor) != IG_LEAD:
        raise Refused("NOT_IG_LEAD", "Only an information governance lead can do this.", 403)


def _require_party_ig_lead(actor: Any, version: AgreementVersion) -> None:
    _require_ig_lead(actor)
    if actor_org(actor) not in version.member_ids:  # an acceded party is a party (docs/agreements-accession.md)
        raise Refused("NOT_A_PARTY", "Your organisation is not a party to this agreement.", 403)


def _require_lead_ig_lead(actor: Any, version: AgreementVersion) -> None:
    _require_ig_lead(actor)
    if actor_org(actor) != version.lead_party_id:
        raise Refused("NOT_LEAD_PARTY", "Only the lead party's information governance lead can do this.", 403)


def _require_not_terminal(version: AgreementVersion) -> None:
    if version.status in TERMINAL_STATUSES:
        raise Refused("TERMINAL_STATE", f"This version is {version.status}; nothing can change it now.")


# ----------------------------------------------------------------------------- T1, T2


def create_agreement(
    actor: Any, agreement_id: str, content: dict[str, Any], template: Template | None = None
) -> AgreementVersion:
    """T1: a new agreement's first version, as a draft; the creator's organisation leads it."""
    _require_ig_lead(actor)
    with serialised_transaction():
        if Agreement.objects.filter(pk=agreement_id).exists():
            raise Refused("AGREEMENT_EXISTS", f"There is already an agreement called {agreement_id}.")
        agreement = Agreement.objects.create(id=agreement_id, created_at=now())
        version = AgreementVersion.objects.create(
            agreement=agreement, version=1, content=content, lead_party_id=actor_org(actor), created_at=now(),
            created_by=actor.user, template=template, status="draft")
        _refresh_derived(version)
        set_status(version, "draft", transition="T1", actor=actor)
    return version


def latest_version(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.order_by("-version").first()


def current_version(agreement: Agreement) -> AgreementVersion | None:
    """The version in force now (active or suspended), if any."""
    return agreement.versions.filter(status__in=("active", "suspended")).order_by("-version").first()


def start_new_version(actor: Any, agreement: Agreement, content: dict[str, Any] | None = None) -> AgreementVersion:
    """T1 for an existing agreement: amendment or renewal starts as a draft copy (spec §2.5, §2.9)."""
    base = latest_version(agreement)
    _require_party_ig_lead(actor, base)
    with serialised_transaction():
        if agreement.versions.filter(status__in=OPEN_STATUSES).exists():
            raise Refused("VERSION_OPEN", "Another version of this agreement is already a draft or in signature.")
        source = current_version(agreement) or base
        version = AgreementVersion.objects.create(
            agreement=agreement, version=base.version + 1,
            content=copy.deepcopy(content) if content is not None else carry_joiners(source.content, joiners(source)),
            lead_party_id=source.lead_party_id, created_at=now(), created_by=actor.user,
            template_id=source.template_id, status="draft")
        _refresh_derived(version)
        set_status(version, "draft", transition="T1", actor=actor, reason=f"new version of {agreement.pk}")
    return version


def joiners(version: AgreementVersion) -> list[Joiner]:
    """The organisations that joined ``version`` by accession and have not given notice to withdraw: the
    next version names them (amendment §A.4.5), in the order they joined."""
    withdrawn = set(version.withdrawals.values_list("party_id", flat=True))
    return [Joiner(a.party_id, a.profile, a.accountable_officer)
            for a in version.accessions.filter(status="joined").order_by("countersigned_at", "id")
            if a.party_id not in withdrawn]


def edit_draft(actor: Any, version: AgreementVersion, content: dict[str, Any], based_on_revision: int) -> None:
    """T2: any party's IG lead edits a draft; the edit names the revision it started from."""
    _require_party_ig_lead(actor, version)
    with serialised_transaction():
        version.refresh_from_db()
        if version.status != "draft":
            raise Refused("NOT_DRAFT", "Only a draft can be edited.")
        if version.revision != based_on_revision:
            raise Refused("EDIT_CONFLICT", "Someone else changed this draft since you opened it. Reload it.")
        before = version.content
        version.content = content
        version.revision += 1
        _refresh_derived(version)
        _audit_registry(actor, version, "T2", {
            "revision": version.revision,
            "diff_sha256": sha256_hex({"before": content_hash(before), "after": content_hash(content)}),
        })


# ----------------------------------------------------------------------------- T3, T6, T7


def submit(actor: Any, version: AgreementVersion, acknowledged_warnings: set[str] | None = None) -> list[Any]:
    """T3: freeze the content and fix its hash. Returns the validation problems if refused."""
    _require_lead_ig_lead(actor, version)
    with serialised_transaction():
        version.refresh_from_db()
        if version.status != "draft":
            raise Refused("NOT_DRAFT", "Only a draft can be sent for signature.")
        report = validate_for_submission(version)
        if report.errors:
            raise Refused("VALIDATION_ERRORS", f"{len(report.errors)} problems must be fixed first.", 422)
        unacknowledged = {w.code for w in report.warnings} - set(acknowledged_warnings or ())
        if unacknowledged:
            raise Refused("WARNINGS_NOT_ACKNOWLEDGED",
                          "Acknowledge each warning: " + ", ".join(sorted(unacknowledged)), 422)
        if version.expires_at is None or version.expires_at <= now() + timedelta(days=7):
            raise Refused("EXPIRES_TOO_SOON", "The agreement must run for more than 7 days after submission.", 422)
        version.content = report.document["content"]
        version.content_hash = content_hash(version.content)
        version.save(update_fields=["content", "content_hash"])
        set_status(version, "in_signature", transition="T3", actor=actor,
                   reason=f"content hash {version.content_hash}")
    return []


def recall(actor: Any, version: AgreementVersion) -> None:
    """T6: back to draft; sign-offs on the old hash stop counting once the content changes."""
    _require_lead_ig_lead(actor, version)
    with serialised_transaction():
        if version.status != "in_signature":
            raise Refused("NOT_IN_SIGNATURE", "Only a version in signature can be recalled.")
        set_status(version, "draft", transition="T6", actor=actor)


def abandon(actor: Any, version: AgreementVersion, reason: str = "") -> None:
    """T7: discard a draft or in-signature version (terminal)."""
    _require_lead_ig_lead(actor, version)
    with serialised_transaction():
        _require_not_terminal(version)
        if version.status not in OPEN_STATUSES:
            raise Refused("NOT_OPEN", "Only a draft or a version in signature can be abandoned.")
        set_status(version, "abandoned", transition="T7", actor=actor, reason=reason)


# ----------------------------------------------------------------------------- T8, T9, T13


def suspend(actor: Any, version: AgreementVersion, reason: str) -> None:
    """T8: any party's IG lead, or a hub admin in an emergency; takes effect at once."""
    if actor_role(actor) != HUB_ADMIN:
        _require_party_ig_lead(actor, version)
    if not reason.strip():
        raise Refused("REASON_REQUIRED", "Give a reason for suspending.", 422)
    with serialised_transaction():
        _require_not_terminal(version)
        if version.status != "active":
            raise Refused("NOT_ACTIVE", "Only an active version can be suspended.")
        set_status(version, "suspended", transition="T8", actor=actor, reason=reason)
    notify_parties(version, "suspended", f"{version.title} (version {version.version}) was suspended",
                   reason, roles=("ig_lead", "privacy_officer"))


def resume(actor: Any, version: AgreementVersion, reason: str = "") -> None:
    """T9: only the suspending organisation (a hub admin only a hub admin's suspension), before expiry."""
    with serialised_transaction():
        _require_not_terminal(version)
        if version.status != "suspended":
            raise Refused("NOT_SUSPENDED", "Only a suspended version can be resumed.")
        suspension = version.status_history.filter(status="suspended").order_by("-at", "-id").first()
        if actor_role(actor) == HUB_ADMIN:
            if suspension is None or suspension.by_role != HUB_ADMIN:
                raise Refused("NOT_SUSPENDER", "A hub admin may resume only a hub admin's suspension.", 403)
        else:
            _require_party_ig_lead(actor, version)
            if suspension is None or suspension.by_org != actor_org(actor):
                raise Refused("NOT_SUSPENDER", "Only the organisation that suspended it can resume it.", 403)
        expired = version.expires_at is not None and now() >= version.expires_at
        if expired:  # R2: committed, then refused
            set_status(version, "expired", transition="T10", reason="resume refused after expiry",
                       at=version.expires_at)
        else:
            set_status(version, "active", transition="T9", actor=actor, reason=reason)
    if expired:
        raise Refused("TERMINAL_STATE", "This version has expired; it needs a new signed version.")
    notify_parties(version, "resumed", f"{version.title} (version {version.version}) was resumed", reason,
                   roles=("ig_lead", "privacy_officer"))


def terminate(actor: Any, version: AgreementVersion, reason: str) -> None:
    """T13: the lead party's IG lead, recording that the parties agreed."""
    _require_lead_ig_lead(actor, version)
    if not reason.strip():
        raise Refused("REASON_REQUIRED", "Record why the parties agreed to terminate.", 422)
    with serialised_transaction():
        _require_not_terminal(version)
        if version.status not in ("active", "suspended"):
            raise Refused("NOT_ACTIVE", "Only an active or suspended version can be terminated.")
        set_status(version, "terminated", transition="T13", actor=actor, reason=reason)


# ----------------------------------------------------------------------------- time-driven moves


def run_scheduled_transitions(at: datetime | None = None) -> list[str]:
    """T10, T11 and T12, for the scheduler (every minute). Returns what moved, for the log."""
    moment = at or now()
    moved: list[str] = []
    with serialised_transaction():
        for version in AgreementVersion.objects.filter(
            status__in=("active", "suspended", "in_signature"), expires_at__lte=moment
        ):
            transition = "T11" if version.status == "in_signature" else "T10"
            set_status(version, "expired", transition=transition, at=version.expires_at)
            moved.append(f"{version} expired")
        successors = AgreementVersion.objects.filter(status="active").filter(
            Q(effective_from__lte=moment) | Q(effective_from__isnull=True))
        for successor in successors:
            for older in AgreementVersion.objects.filter(
                agreement_id=successor.agreement_id, version__lt=successor.version,
                status__in=("active", "suspended"),
            ):
                when = max(successor.activated_at or moment, successor.effective_from or moment)
                set_status(older, "superseded", transition="T12", at=when,
                           reason=f"version {successor.version} became effective")
                moved.append(f"{older} superseded")
    return moved


def notify_parties(version: AgreementVersion, kind: str, subject: str, body: str, *, roles: tuple[str, ...]) -> None:
    for org_id in version.member_ids:
        for role in roles:
            notify(org_id, role, kind, subject, body, link=f"/agreements/{version.agreement_id}/{version.version}",
                   key=None)
