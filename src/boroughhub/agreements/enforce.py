"""The enforcement adapter every capability calls before it uploads, links, shows or exports data.

``decide_and_audit`` builds the request from the caller's identity and the server clock, runs the
pure ``policy.decide`` against a snapshot of the registry (cached per registry revision), and
appends the ``decision`` audit entry *before* returning (spec §4.3: the entry is committed before
the decision is acted on). Any failure while deciding is a ``DENY INTERNAL_ERROR``, audited; a
failure to audit raises, so the caller's request fails (fail closed, spec §3.8).

After a permit, when data was actually returned, accepted or exported, call ``record_access``::

    decision = request_decision(request, "view_aggregate", "metric_values", {"value", "area_code"},
                                ROUGH_SLEEPING_INSIGHT)
    if not decision.permitted:
        ...  # show decision.primary_reason.code; return nothing
    rows = run_query(decision.obligations)   # the data layer MUST apply the obligations
    record_access(decision, row_count=len(rows))
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from typing import Any

from boroughhub import audit
from boroughhub.agreements import policy
from boroughhub.agreements.snapshot import Decision, Reason, Request, Snapshot
from boroughhub.agreements.store import documents
from boroughhub.agreements.store.notices import notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AuditedDecision(Decision):
    """A decision together with the audit entry that records it (pass it to ``record_access``)."""

    audit_entry: Any = None


class _SnapshotCache:
    """One snapshot per process, rebuilt when the registry fingerprint changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[Any, ...] | None = None
        self.snapshot: Snapshot | None = None

    def get(self) -> Snapshot:
        key = documents.registry_fingerprint()
        with self.lock:
            if key == self.key and self.snapshot is not None:
                return self.snapshot
            if self.key is not None and key[0] == self.key[0]:
                # Grants or suspensions changed without a registry signal: give the new state its
                # own revision number so every decision stays reproducible from its revision.
                documents.bump_registry_revision()
                key = documents.registry_fingerprint()
            self.snapshot = documents.load_snapshot(registry_revision=key[0])
            self.key = key
            return self.snapshot

    def clear(self) -> None:
        with self.lock:
            self.key, self.snapshot = None, None


snapshot_cache = _SnapshotCache()


def _user_id(user: Any) -> str:
    if user is None:
        return ""
    if isinstance(user, str | uuid.UUID):
        return str(user)
    return str(getattr(user, "pk", "") or "")


def decide_and_audit(
    *,
    user: Any,
    org_id: str,
    role: str,
    action: str,
    dataset: str,
    fields: set[str] | frozenset[str] | Iterable[str],
    purpose: str,
    subject_refs: list[Any] | None = None,
    at: datetime | None = None,
    session_id: str | None = None,
    justification: str | None = None,
) -> AuditedDecision:
    """Decide a request as of now (``at`` only for tests and the what-if CLI) and audit it."""
    request_id = str(uuid.uuid4())
    time = at if at is not None else datetime.now(UTC)
    try:
        request = Request(
            request_id=request_id, user_id=_user_id(user), org=org_id or "", role=str(role or ""),
            action=action, dataset=dataset, fields=frozenset(fields) if fields is not None else frozenset(),
            purpose=purpose, time=time,
        )
        decision = policy.decide(request, snapshot_cache.get())
    except Exception:  # fail closed: anything unexpected is a deny, audited and logged
        logger.exception("enforcement failed; denying request %s", request_id)
        decided_at = time if time.tzinfo is not None else None
        decision = Decision("deny", (Reason("INTERNAL_ERROR"),), None, decided_at)

    entry = audit.record_event(
        "decision", decision.decision,
        user=user if user is not None else None, org_id=org_id or None, role=str(role) if role else None,
        session_id=session_id, request_id=request_id, action=action, dataset=dataset,
        fields=sorted(str(f) for f in (fields or ())), purpose=purpose,
        agreement_id=decision.agreement_id, agreement_version=decision.agreement_version,
        permission_id=decision.matched[0].permission_id if decision.permitted and decision.matched else None,
        prohibition_id=decision.primary_reason.prohibition_id,
        reasons=[r.to_dict() for r in decision.reasons],
        obligations=decision.obligations.to_dict() if decision.obligations is not None else None,
        subject_refs=subject_refs, justification=justification,
        payload={"registry_revision": decision.registry_revision,
                 "decided_at": decision.to_dict()["decided_at"],
                 "matched": decision.to_dict()["matched"]},
    )
    _raise_alerts(decision, time)
    values = {f.name: getattr(decision, f.name) for f in dataclass_fields(Decision)}
    return AuditedDecision(**values, audit_entry=entry)


HUB_OPERATOR = "hub"


def _raise_alerts(decision: Decision, time: datetime) -> None:
    """INTEGRITY_FAILURE alerts every party's privacy officers and the hub admins (spec §2.3);
    INTERNAL_ERROR alerts the hub admins (§3.3). At most one alert per version (or error) per hour."""
    codes = {reason.code for reason in decision.reasons}
    if not codes & {"INTEGRITY_FAILURE", "INTERNAL_ERROR"}:
        return
    hour = (time if time.tzinfo is not None else datetime.now(UTC)).strftime("%Y-%m-%dT%H")
    try:
        if "INTERNAL_ERROR" in codes:
            notify(HUB_OPERATOR, "hub_admin", "internal_error", "Enforcement failed and denied a request",
                   "See the server log for the error.", link="/agreements/audit", key=f"internal-error:{hour}")
        for reason in decision.reasons:
            if reason.code != "INTEGRITY_FAILURE" or reason.agreement_id is None:
                continue
            version = documents.party_ids_of(reason.agreement_id, reason.version)
            recipients = [(org, "privacy_officer") for org in version] + [(HUB_OPERATOR, "hub_admin")]
            for org, role in recipients:
                notify(org, role, "integrity_failure",
                       f"Agreement {reason.agreement_id} version {reason.version} no longer matches what was signed",
                       "Requests under it are refused until the stored text is restored or re-signed.",
                       link=f"/agreements/{reason.agreement_id}/{reason.version}",
                       key=f"integrity:{reason.agreement_id}:{reason.version}:{hour}:{org}:{role}")
    except Exception:  # an alert that cannot be stored must not turn a deny into an error
        logger.exception("could not store the alert for %s", sorted(codes))


def request_decision(
    request: Any, action: str, dataset: str, fields: Iterable[str], purpose: str,
    subject_refs: list[Any] | None = None, justification: str | None = None,
) -> AuditedDecision:
    """``decide_and_audit`` for a web request: the identity comes from the session, never the client."""
    acting = getattr(request, "acting", None)
    return decide_and_audit(
        user=getattr(acting, "user", None),
        org_id=acting.organisation.pk if acting is not None else "",
        role=str(acting.role) if acting is not None else "",
        action=action, dataset=dataset, fields=set(fields), purpose=purpose, subject_refs=subject_refs,
        session_id=audit.session_reference(request), justification=justification,
    )


def record_access(
    decision_entry: Any,
    row_count: int,
    subject_refs: list[Any] | None = None,
    export_sha256: str | None = None,
) -> Any:
    """Audit data actually returned, accepted or exported after a permit (spec §4.1 ``access``).

    ``decision_entry`` is the ``AuditedDecision`` (or its audit entry). Refuses anything but a permit.
    """
    entry = getattr(decision_entry, "audit_entry", None) or decision_entry
    if entry is None or entry.event_type != "decision" or entry.outcome != "permit":
        raise ValueError("an access can only follow a permitting decision")
    return audit.record_event(
        "access", "ok",
        user=entry.user_id, org_id=entry.org, role=entry.role, session_id=entry.session_id,
        request_id=entry.request_id, decision_entry_id=str(entry.entry_id), action=entry.action,
        dataset=entry.dataset, fields=entry.fields, purpose=entry.purpose, agreement_id=entry.agreement_id,
        agreement_version=entry.agreement_version, permission_id=entry.permission_id,
        row_count=int(row_count), subject_refs=subject_refs, export_sha256=export_sha256,
    )
