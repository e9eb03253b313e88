"""``decide(request, snapshot) -> Decision``: the hub's one enforcement function (spec §3).

Pure: no clock, no database, no network. Deny by default: only an explicit permission in a
version that is active, in its window, intact and not withdrawn from permits, and any
applicable prohibition (from any in-force or suspended version the organisation signed)
overrides every permission. Any exception becomes ``DENY INTERNAL_ERROR``; the caller must
treat that as "return nothing" and alert.

The steps and their order follow spec §3.3 exactly; the obligations follow §3.6. A permit is
found through ``permission_index.PermitTable`` (which permissions can permit at t, grouped by what
they ask of a request); a denial is explained, with one reason per candidate agreement ranked
as §3.5 says, by ``denials.explain_denial``. ``tests/agreements/test_policy_reference.py``
checks both against a step-by-step transcription of §3.3.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from boroughhub.agreements.denials import REASON_RANK, explain_denial
from boroughhub.agreements.permission_index import IndexedPermission, PermitGroup, version_integrity_ok
from boroughhub.agreements.snapshot import (
    ACTIONS,
    ROLE_CEILING,
    ROLES,
    Decision,
    Obligations,
    Reason,
    Request,
    RowFilter,
    Snapshot,
    Stamp,
)
from boroughhub.agreements.snapshot_index import SnapshotIndex

__all__ = ["REASON_MESSAGES", "REASON_RANK", "SnapshotIndex", "decide", "version_integrity_ok"]

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


_ACTION_SET = frozenset(ACTIONS)
_ROLE_SET = frozenset(ROLES)


def _request_is_well_formed(req: Request) -> bool:
    for value in (req.user_id, req.org, req.purpose, req.dataset):
        if type(value) is not str or not value:
            return False
    if req.action not in _ACTION_SET or req.role not in _ROLE_SET:
        return False
    fields = req.fields
    if not isinstance(fields, set | frozenset) or not fields:
        return False
    return all(type(f) is str and f for f in fields)


def _invalid_request_reason(req: Request, snap: Snapshot, t: datetime) -> Reason | None:
    """Step 1b-1e: the request against the registers only."""
    if not _request_is_well_formed(req):
        return Reason("INVALID_REQUEST")
    dataset = snap.datasets.get(req.dataset)
    if dataset is None:
        return Reason("UNKNOWN_DATASET")
    registered = dataset.fields
    unknown = [f for f in req.fields if f not in registered]
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
    index: SnapshotIndex = snap.index if snap.index is not None else SnapshotIndex(snap.role_grants, snap.versions)

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
        if prohibition.binds(req.org, req.dataset, req.action, req.purpose) and indexed.prohibitions_bind(req.org, t):
            v = indexed.version
            return _deny(
                (Reason("PROHIBITED", agreement_id=v.agreement_id, version=v.version,
                        prohibition_id=prohibition.id),),
                snap, t,
            )

    # 5-6 Permissions. The permit path looks only at permissions that name this org, dataset and
    # action and can permit at t (see PermitTable); a denial is then explained in full by _failures.
    table = index.permit_tables.get((req.org, req.dataset, req.action))
    if table is not None:
        groups = [g for g in table.groups_at(t) if g.admits(req.purpose, req.role, req.fields)]
        if groups:
            return _permit(groups, req, dataset.kind == "source", dataset.aggregate, snap, t)
    return _deny(explain_denial(index.denial_table(req.org, req.dataset), req, t), snap, t)


def _permit(
    groups: list[PermitGroup],
    req: Request,
    is_source: bool,
    is_aggregate: bool,
    snap: Snapshot,
    t: datetime,
) -> Decision:
    """Cite the lowest (agreement_id, version) and list every match (spec §3.5, §3.6)."""
    if len(groups) == 1:
        members = groups[0].members
    else:
        members = tuple(sorted((m for g in groups for m in g.members), key=_match_order))
    cited = members[0].match
    obligations: Obligations
    if req.action == "upload":
        obligations = Obligations(stamp=Stamp(supplier=req.org, purpose=req.purpose,
                                              agreement_id=cited.agreement_id, version=cited.version))
    else:
        suppliers = frozenset().union(*(g.suppliers for g in groups)) if is_source else None
        min_cell_size: int | None = None
        if req.action == "view_aggregate" or (req.action == "export" and is_aggregate):
            sizes = [g.min_cell_size for g in groups if g.min_cell_size is not None]
            min_cell_size = max(sizes) if sizes else None
        obligations = Obligations(row_filter=RowFilter(purpose=req.purpose, suppliers=suppliers),
                                  min_cell_size=min_cell_size)
    return Decision(
        decision="permit",
        reasons=(Reason("PERMITTED", agreement_id=cited.agreement_id, version=cited.version,
                        permission_id=cited.permission_id),),
        registry_revision=snap.registry_revision,
        decided_at=t,
        agreement_id=cited.agreement_id,
        agreement_version=cited.version,
        matched=groups[0].matches if len(groups) == 1 else tuple(m.match for m in members),
        obligations=obligations,
    )


def _match_order(item: IndexedPermission) -> tuple[str, int, str]:
    match = item.match
    return (match.agreement_id, match.version, match.permission_id)
