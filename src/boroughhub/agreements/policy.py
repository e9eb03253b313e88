"""``decide(request, snapshot) -> Decision``: the hub's one enforcement function (spec §3).

Pure: no clock, no database, no network. Deny by default: only an explicit permission in a
version that is active, in its window, intact and not withdrawn from permits, and any
applicable prohibition (from any in-force or suspended version the organisation signed)
overrides every permission. Any exception becomes ``DENY INTERNAL_ERROR``; the caller must
treat that as "return nothing" and alert.

The steps and their order follow spec §3.3 exactly; the reason ranking follows §3.5 and the
obligations §3.6. :class:`SnapshotIndex` holds the lookup tables built once per snapshot, so a
decision is a handful of dictionary look-ups plus the checks on the few permissions that name
the acting organisation and the requested dataset.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.snapshot import (
    ACTIONS,
    ROLE_CEILING,
    ROLES,
    AgreementVersion,
    Decision,
    Match,
    Obligations,
    Permission,
    Prohibition,
    Reason,
    Request,
    RoleGrant,
    RowFilter,
    Snapshot,
    Stamp,
)

__all__ = ["REASON_MESSAGES", "REASON_RANK", "SnapshotIndex", "decide", "version_integrity_ok"]

#: How far a candidate version got before failing (spec §3.5): the highest rank is primary.
REASON_RANK: Mapping[str, int] = {
    "DATASET_NOT_COVERED": 1,
    "ACTION_NOT_PERMITTED": 2,
    "PURPOSE_NOT_PERMITTED": 3,
    "ROLE_NOT_PERMITTED": 4,
    "PERMISSION_NOT_IN_WINDOW": 5,
    "FIELDS_NOT_PERMITTED": 6,
    "PARTY_WITHDRAWN": 7,
    "AGREEMENT_NOT_ACTIVE": 8,
    "AGREEMENT_SUSPENDED": 8,
    "AGREEMENT_TERMINATED": 8,
    "AGREEMENT_SUPERSEDED": 8,
    "AGREEMENT_EXPIRED": 8,
    "AGREEMENT_NOT_YET_EFFECTIVE": 8,
    "INTEGRITY_FAILURE": 9,
}

#: Guidance shown to the user for each reason code (spec §3.7); pages may say more.
REASON_MESSAGES: Mapping[str, str] = {
    "PERMITTED": "Permitted.",
    "INVALID_REQUEST": "The request was incomplete.",
    "UNKNOWN_DATASET": "There is no such dataset.",
    "UNKNOWN_FIELD": "Some fields are not in the dataset.",
    "UNKNOWN_PURPOSE": "The purpose code is not registered.",
    "ROLE_NOT_HELD": "You do not hold this role in this organisation now.",
    "ORG_SUSPENDED": "Your organisation is suspended from the hub.",
    "ROLE_ACTION_CEILING": "Your role may never do this action.",
    "NO_AGREEMENT": "Your organisation is party to no relevant agreement.",
    "PROHIBITED": "A prohibition in an agreement forbids this.",
    "DATASET_NOT_COVERED": "No agreement gives your organisation a permission on this dataset.",
    "ACTION_NOT_PERMITTED": "The closest permission does not allow this action.",
    "PURPOSE_NOT_PERMITTED": "The closest permission does not allow this purpose.",
    "ROLE_NOT_PERMITTED": "The closest permission does not allow your role.",
    "PERMISSION_NOT_IN_WINDOW": "The closest permission is not in force at this time.",
    "FIELDS_NOT_PERMITTED": "The closest permission does not cover some of the fields.",
    "PARTY_WITHDRAWN": "Your organisation has withdrawn from the agreement that would permit this.",
    "AGREEMENT_NOT_ACTIVE": "The agreement that would permit this is not yet signed by every party.",
    "AGREEMENT_SUSPENDED": "The agreement that would permit this is suspended.",
    "AGREEMENT_TERMINATED": "The agreement that would permit this has been terminated.",
    "AGREEMENT_SUPERSEDED": "The agreement version that would permit this has been superseded.",
    "AGREEMENT_EXPIRED": "The agreement that would permit this has expired.",
    "AGREEMENT_NOT_YET_EFFECTIVE": "The agreement that would permit this is not yet in force.",
    "INTEGRITY_FAILURE": "Refused; the privacy officer has been alerted.",
    "INTERNAL_ERROR": "Refused because of an internal error; nothing was returned.",
}

_VERSION_STATE_FAILURES: Mapping[str, str] = {
    "draft": "AGREEMENT_NOT_ACTIVE",
    "in_signature": "AGREEMENT_NOT_ACTIVE",
    "suspended": "AGREEMENT_SUSPENDED",
    "terminated": "AGREEMENT_TERMINATED",
    "superseded": "AGREEMENT_SUPERSEDED",
    "expired": "AGREEMENT_EXPIRED",
}


def version_integrity_ok(version: AgreementVersion) -> bool:
    """Spec §2.4 conditions 1 and 3: the content still hashes to ``content_hash`` and every
    party's effective sign-off (its latest on that hash) approves it."""
    if content_hash(version.content) != version.content_hash:
        return False
    latest: dict[str, tuple[datetime, str]] = {}
    for sign_off in version.sign_offs:
        if sign_off.content_hash != version.content_hash:
            continue
        seen = latest.get(sign_off.party)
        if seen is None or sign_off.signed_at >= seen[0]:
            latest[sign_off.party] = (sign_off.signed_at, sign_off.decision)
    return all(latest.get(party, (None, ""))[1] == "approve" for party in version.parties)


# --------------------------------------------------------------------------- the index


@dataclass(frozen=True, slots=True)
class _IndexedVersion:
    """A version with what every decision needs precomputed."""

    version: AgreementVersion
    status_times: tuple[datetime, ...]
    statuses: tuple[str, ...]
    withdrawn_from: Mapping[str, datetime]
    integrity_ok: bool

    def status_at(self, t: datetime) -> str | None:
        position = bisect_right(self.status_times, t)
        return self.statuses[position - 1] if position else None

    def withdrawn_at(self, org: str, t: datetime) -> bool:
        effective_at = self.withdrawn_from.get(org)
        return effective_at is not None and effective_at <= t

    def in_force_at(self, t: datetime) -> bool:
        return self.status_at(t) == "active" and self.version.in_window(t)


@dataclass(frozen=True, slots=True)
class _IndexedPermission:
    permission: Permission
    fields: frozenset[str]
    """The members of the permission's field set (empty if the set is undefined)."""


class SnapshotIndex:
    """Lookup tables over one snapshot: grants by (user, org, role); the versions each org is a
    party to; permissions by (org, dataset); prohibitions by (org, action). Built once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.grants: dict[tuple[str, str, str], list[RoleGrant]] = defaultdict(list)
        for grant in snapshot.role_grants:
            self.grants[(grant.user_id, grant.org_id, grant.role)].append(grant)

        self.versions_by_org: dict[str, list[_IndexedVersion]] = defaultdict(list)
        self.permissions: dict[tuple[str, str], list[tuple[_IndexedVersion, list[_IndexedPermission]]]] = {}
        self.prohibitions: dict[tuple[str, str], list[tuple[_IndexedVersion, Prohibition]]] = defaultdict(list)

        for version in sorted(snapshot.versions, key=lambda v: v.key):
            indexed = _index_version(version)
            parties = set(version.parties)
            for org in sorted(parties):
                self.versions_by_org[org].append(indexed)
            by_org_dataset: dict[tuple[str, str], list[_IndexedPermission]] = defaultdict(list)
            for permission in sorted(version.permissions, key=lambda p: p.id):
                entry = version.datasets.get(permission.dataset)
                fields = entry.field_sets.get(permission.field_set, frozenset()) if entry else frozenset()
                for org in permission.assignees:
                    by_org_dataset[(org, permission.dataset)].append(_IndexedPermission(permission, fields))
            for key, permissions in by_org_dataset.items():
                self.permissions.setdefault(key, []).append((indexed, permissions))
            for prohibition in sorted(version.prohibitions, key=lambda x: x.id):
                bound = parties if "*" in prohibition.assignees else parties & prohibition.assignees
                for org in bound:
                    for action in prohibition.actions:
                        self.prohibitions[(org, action)].append((indexed, prohibition))


def _index_version(version: AgreementVersion) -> _IndexedVersion:
    withdrawn: dict[str, datetime] = {}
    for withdrawal in version.withdrawals:
        current = withdrawn.get(withdrawal.party)
        if current is None or withdrawal.effective_at < current:
            withdrawn[withdrawal.party] = withdrawal.effective_at
    try:
        integrity_ok = version_integrity_ok(version)
    except (TypeError, ValueError):
        integrity_ok = False
    return _IndexedVersion(
        version=version,
        status_times=tuple(change.at for change in version.status_history),
        statuses=tuple(change.status for change in version.status_history),
        withdrawn_from=withdrawn,
        integrity_ok=integrity_ok,
    )


# --------------------------------------------------------------------------- decide


def decide(request: Request, snapshot: Snapshot) -> Decision:
    """Permit or deny ``request`` against ``snapshot`` (spec §3.3), never raising."""
    try:
        return _decide(request, snapshot)
    except Exception:  # noqa: BLE001 - fail closed on anything, by specification
        decided_at = getattr(request, "time", None)
        if not isinstance(decided_at, datetime) or decided_at.utcoffset() is None:
            decided_at = None
        return Decision(
            decision="deny",
            reasons=(Reason("INTERNAL_ERROR"),),
            registry_revision=getattr(snapshot, "registry_revision", None),
            decided_at=None if decided_at is None else decided_at.astimezone(UTC),
        )


def _deny(reasons: tuple[Reason, ...], snapshot: Snapshot, t: datetime | None) -> Decision:
    primary = reasons[0]
    return Decision(
        decision="deny",
        reasons=reasons,
        registry_revision=snapshot.registry_revision,
        decided_at=t,
        agreement_id=primary.agreement_id,
        agreement_version=primary.version,
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _request_is_well_formed(req: Request) -> bool:
    if not all(_is_text(v) for v in (req.user_id, req.org, req.role, req.action, req.dataset, req.purpose)):
        return False
    if req.action not in ACTIONS or req.role not in ROLES:
        return False
    fields = req.fields
    return isinstance(fields, set | frozenset) and bool(fields) and all(_is_text(f) for f in fields)


def _invalid_request_reason(req: Request, snap: Snapshot, t: datetime) -> Reason | None:
    """Step 1b-1e: the request against the registers only."""
    if not _request_is_well_formed(req):
        return Reason("INVALID_REQUEST")
    dataset = snap.datasets.get(req.dataset)
    if dataset is None:
        return Reason("UNKNOWN_DATASET")
    unknown = req.fields - dataset.fields.keys()
    if unknown:
        return Reason("UNKNOWN_FIELD", fields=tuple(sorted(unknown)))
    if req.purpose not in snap.purposes:
        return Reason("UNKNOWN_PURPOSE")
    return None


def _requester_reason(req: Request, snap: Snapshot, index: SnapshotIndex, t: datetime) -> Reason | None:
    """Step 2: the role grant, the organisation's suspension and the role's ceiling."""
    if not any(g.held_at(t) for g in index.grants.get((req.user_id, req.org, req.role), ())):
        return Reason("ROLE_NOT_HELD")
    organisation = snap.organisations.get(req.org)
    if organisation is not None and organisation.suspended_at(t):
        return Reason("ORG_SUSPENDED")
    if req.action not in ROLE_CEILING.get(req.role, frozenset()):
        return Reason("ROLE_ACTION_CEILING")
    return None


def _decide(req: Request, snap: Snapshot) -> Decision:
    index: SnapshotIndex = snap.index if snap.index is not None else SnapshotIndex(snap)

    # 1a The time must be an aware instant; everything below runs in UTC.
    time = req.time
    if not isinstance(time, datetime) or time.tzinfo is None or time.utcoffset() is None:
        return _deny((Reason("INVALID_REQUEST"),), snap, None)
    t = time.astimezone(UTC)
    # 1b-1e and 2.
    early = _invalid_request_reason(req, snap, t) or _requester_reason(req, snap, index, t)
    if early is not None:
        return _deny((early,), snap, t)
    dataset = snap.datasets[req.dataset]

    # 3 Candidates. Only versions the org is a party to can bind or permit; the explicit
    # "no candidate" check is deferred to the deny path, where its outcome is the same.
    # 4 Prohibitions, in (agreement_id, version, prohibition id) order.
    for indexed, prohibition in index.prohibitions.get((req.org, req.action), ()):
        if (
            indexed.status_at(t) in ("active", "suspended")
            and indexed.version.in_window(t)
            and not indexed.withdrawn_at(req.org, t)
            and prohibition.binds(req.org, req.dataset, req.action, req.purpose)
        ):
            v = indexed.version
            return _deny(
                (Reason("PROHIBITED", agreement_id=v.agreement_id, version=v.version,
                        prohibition_id=prohibition.id),),
                snap, t,
            )

    # 5 Permissions: first the fast path, collecting matches.
    covering = index.permissions.get((req.org, req.dataset), ())
    matches: list[tuple[_IndexedVersion, Permission]] = []
    for indexed, permissions in covering:
        if _version_failure(indexed, req.org, t) is not None:
            continue
        for candidate in permissions:
            if _permission_failure(candidate, req, t) is None:
                matches.append((indexed, candidate.permission))
    if matches:
        return _permit(matches, req, dataset.kind == "source", dataset.aggregate, snap, t)
    return _deny(_failures(index, req, t), snap, t)


def _permission_failure(candidate: _IndexedPermission, req: Request, t: datetime) -> Reason | None:
    p = candidate.permission
    if req.action not in p.actions:
        return Reason("ACTION_NOT_PERMITTED", permission_id=p.id)
    if req.purpose not in p.purposes:
        return Reason("PURPOSE_NOT_PERMITTED", permission_id=p.id)
    if req.role not in p.roles:
        return Reason("ROLE_NOT_PERMITTED", permission_id=p.id)
    if not p.in_window(t):
        return Reason("PERMISSION_NOT_IN_WINDOW", permission_id=p.id)
    excess = req.fields - candidate.fields
    if excess:
        return Reason("FIELDS_NOT_PERMITTED", permission_id=p.id, fields=tuple(sorted(excess)))
    return None


def _version_failure(indexed: _IndexedVersion, org: str, t: datetime) -> str | None:
    """The version-level checks of step 5, once some permission matched on content.

    Returns ``"NOT_CANDIDATE"`` for a version that does not exist yet at ``t`` or was
    abandoned (step 3 excludes it), else the failure code, or None when the version permits.
    """
    status = indexed.status_at(t)
    if status is None or status == "abandoned":
        return "NOT_CANDIDATE"
    if indexed.withdrawn_at(org, t):
        return "PARTY_WITHDRAWN"
    state_failure = _VERSION_STATE_FAILURES.get(status)
    if state_failure is not None:
        return state_failure
    version = indexed.version
    if t >= version.expires_at:
        return "AGREEMENT_EXPIRED"
    if t < version.effective_from:
        return "AGREEMENT_NOT_YET_EFFECTIVE"
    if not indexed.integrity_ok:
        return "INTEGRITY_FAILURE"
    return None


def _failures(index: SnapshotIndex, req: Request, t: datetime) -> tuple[Reason, ...]:
    """One failure per candidate version, primary first (spec §3.5)."""
    permissions_by_version = {
        indexed.version.key: permissions for indexed, permissions in index.permissions.get((req.org, req.dataset), ())
    }
    ranked: list[tuple[int, bool, str, int, Reason]] = []
    for indexed in index.versions_by_org.get(req.org, ()):
        status = indexed.status_at(t)
        if status is None or status == "abandoned":
            continue
        v = indexed.version
        reason = _version_reason(indexed, permissions_by_version.get(v.key, ()), req, t)
        ranked.append((REASON_RANK[reason.code], indexed.in_force_at(t), v.agreement_id, v.version, reason))
    if not ranked:
        return (Reason("NO_AGREEMENT"),)
    # Highest rank, then in force at t, then lowest agreement id, then highest version.
    ranked.sort(key=lambda r: (-r[0], not r[1], r[2], -r[3]))
    return tuple(r[4] for r in ranked)


def _version_reason(
    indexed: _IndexedVersion, permissions: list[_IndexedPermission] | tuple[()], req: Request, t: datetime
) -> Reason:
    v = indexed.version
    if not permissions:
        return Reason("DATASET_NOT_COVERED", agreement_id=v.agreement_id, version=v.version)
    closest: Reason | None = None
    passing: Permission | None = None
    for candidate in permissions:  # sorted by permission id, so ties keep the lowest id
        failure = _permission_failure(candidate, req, t)
        if failure is None:
            passing = passing or candidate.permission
        elif closest is None or REASON_RANK[failure.code] > REASON_RANK[closest.code]:
            closest = failure
    if passing is None:
        assert closest is not None
        return Reason(closest.code, agreement_id=v.agreement_id, version=v.version,
                      permission_id=closest.permission_id, fields=closest.fields)
    code = _version_failure(indexed, req.org, t)
    if code is None or code == "NOT_CANDIDATE":  # cannot happen on the deny path; fail closed
        code = "INTEGRITY_FAILURE"
    return Reason(code, agreement_id=v.agreement_id, version=v.version, permission_id=passing.id)


def _permit(
    matches: list[tuple[_IndexedVersion, Permission]],
    req: Request,
    is_source: bool,
    is_aggregate: bool,
    snap: Snapshot,
    t: datetime,
) -> Decision:
    cited_version, cited_permission = min(matches, key=lambda m: (m[0].version.key, m[1].id))
    cited = cited_version.version
    obligations: Obligations
    if req.action == "upload":
        obligations = Obligations(stamp=Stamp(supplier=req.org, purpose=req.purpose,
                                              agreement_id=cited.agreement_id, version=cited.version))
    else:
        suppliers: frozenset[str] | None = None
        if is_source:
            allowed: set[str] = set()
            for indexed, permission in matches:
                entry = indexed.version.datasets.get(req.dataset)
                named = permission.suppliers if permission.suppliers is not None else (
                    entry.suppliers if entry else frozenset())
                allowed.update(s for s in named if not indexed.withdrawn_at(s, t))
            suppliers = frozenset(allowed)
        min_cell_size: int | None = None
        if req.action == "view_aggregate" or (req.action == "export" and is_aggregate):
            sizes = [p.min_cell_size for _, p in matches if p.min_cell_size is not None]
            min_cell_size = max(sizes) if sizes else None
        obligations = Obligations(row_filter=RowFilter(purpose=req.purpose, suppliers=suppliers),
                                  min_cell_size=min_cell_size)
    return Decision(
        decision="permit",
        reasons=(Reason("PERMITTED", agreement_id=cited.agreement_id, version=cited.version,
                        permission_id=cited_permission.id),),
        registry_revision=snap.registry_revision,
        decided_at=t,
        agreement_id=cited.agreement_id,
        agreement_version=cited.version,
        matched=tuple(Match(i.version.agreement_id, i.version.version, p.id) for i, p in matches),
        obligations=obligations,
    )
