"""Explaining a denial: one failure per candidate agreement, the primary one first (spec §3.3 step 5, §3.5).

A denial lists a failure for **every** version the organisation is a party to, so an
organisation in 200 agreements gets 200 reasons. Computed version by version that costs far
more than a permit. Most of the work repeats, though: between two instants at which any of the
organisation's versions changes (a status change, its window opening or closing, a withdrawal)
every version is in a fixed state, and versions whose permissions ask the same of a request
(the same *shape*) fail the same way. So, per (org, dataset):

- :class:`DenialTable` cuts time into those segments and, lazily and once per segment, groups
  the versions by (shape, state);
- a request's permission checks run once per shape, its version checks once per group, and the
  group's reasons are reused across requests that fail the same way.

The rules themselves — which check fails first, how failures rank — are the functions at the
top, used both here and by the reference test.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from boroughhub.agreements.decisions import Reason, Request
from boroughhub.agreements.permission_index import CoveringPermissions, IndexedPermission, IndexedVersion

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

_STATE_FAILURES: Mapping[str, str] = {
    "draft": "AGREEMENT_NOT_ACTIVE",
    "in_signature": "AGREEMENT_NOT_ACTIVE",
    "suspended": "AGREEMENT_SUSPENDED",
    "terminated": "AGREEMENT_TERMINATED",
    "superseded": "AGREEMENT_SUPERSEDED",
    "expired": "AGREEMENT_EXPIRED",
}
_REASON_CACHE_LIMIT = 32


def permission_failure(item: IndexedPermission, req: Request, t: datetime) -> Reason | None:
    """The first content check of step 5 that the permission fails, or None if it passes."""
    p = item.permission
    if req.action not in p.actions:
        return Reason("ACTION_NOT_PERMITTED", permission_id=p.id)
    if req.purpose not in p.purposes:
        return Reason("PURPOSE_NOT_PERMITTED", permission_id=p.id)
    if req.role not in p.roles:
        return Reason("ROLE_NOT_PERMITTED", permission_id=p.id)
    if not p.in_window(t):
        return Reason("PERMISSION_NOT_IN_WINDOW", permission_id=p.id)
    excess = req.fields - item.fields
    if excess:
        return Reason("FIELDS_NOT_PERMITTED", permission_id=p.id, fields=tuple(sorted(excess)))
    return None


def closest_permission(items: tuple[IndexedPermission, ...], req: Request, t: datetime) -> Reason | str:
    """The id of the first (lowest-id) permission that passes the content checks, or else the
    failure of the permission that got furthest (ties: the lowest id)."""
    closest: Reason | None = None
    for item in items:  # sorted by permission id
        failure = permission_failure(item, req, t)
        if failure is None:
            return item.permission.id
        if closest is None or REASON_RANK[failure.code] > REASON_RANK[closest.code]:
            closest = failure
    assert closest is not None  # a CoveringPermissions is never empty
    return closest


def version_failure(indexed: IndexedVersion, status: str, org: str, t: datetime) -> str | None:
    """The version-level checks of step 5, in order, once a permission matched on content;
    None when the version would permit."""
    if indexed.withdrawn_at(org, t):
        return "PARTY_WITHDRAWN"
    state_failure = _STATE_FAILURES.get(status)
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


@dataclass(slots=True)
class _Group:
    """Candidate versions that, during one segment, are in the same state and have the same
    permissions for the org on the dataset (or none), so they fail any request the same way."""

    versions: tuple[IndexedVersion, ...]
    """Lowest agreement id first, then highest version: the order of equally ranked reasons."""
    covering: CoveringPermissions | None
    in_force: bool
    version_failure: str | None
    """What the version checks say once a permission passes (None: they would permit)."""
    reasons: dict[tuple[str, str | None, tuple[str, ...] | None], tuple[Reason, ...]] = field(default_factory=dict)

    def reasons_for(self, code: str, permission_id: str | None, fields: tuple[str, ...] | None) -> tuple[Reason, ...]:
        key = (code, permission_id, fields)
        found = self.reasons.get(key)
        if found is None:
            found = tuple(Reason(code, i.version.agreement_id, i.version.version, permission_id, None, fields)
                          for i in self.versions)
            if len(self.reasons) < _REASON_CACHE_LIMIT:
                self.reasons[key] = found
        return found


class DenialTable:
    """The candidate versions of one org, for one dataset, grouped per time segment."""

    __slots__ = ("_breakpoints", "_covering", "_org", "_segments", "_versions")

    def __init__(self, org: str, versions: list[IndexedVersion],
                 covering: Mapping[tuple[str, int], CoveringPermissions]) -> None:
        self._org = org
        self._versions = versions
        self._covering = covering
        instants: set[datetime] = set()
        for indexed in versions:
            v = indexed.version
            instants.update(indexed.status_times)
            instants.update((v.effective_from, v.expires_at))
            if org in indexed.withdrawn_from:
                instants.add(indexed.withdrawn_from[org])
            if org in indexed.joined_from:
                instants.add(indexed.joined_from[org])
        self._breakpoints = tuple(sorted(instants))
        self._segments: dict[int, tuple[_Group, ...]] = {}

    def groups_at(self, t: datetime) -> tuple[_Group, ...]:
        segment = bisect_right(self._breakpoints, t)
        groups = self._segments.get(segment)
        if groups is None:
            # Segment 0 lies before every status history starts: no candidates there.
            groups = self._group(self._breakpoints[segment - 1]) if segment else ()
            self._segments[segment] = groups
        return groups

    def _group(self, t: datetime) -> tuple[_Group, ...]:
        """Group the versions by what decides their failure, for any instant of t's segment."""
        by_key: dict[tuple[int | None, bool, str | None], list[IndexedVersion]] = {}
        for indexed in self._versions:  # already lowest agreement id, highest version first
            status = indexed.status_at(t)
            if status is None or status == "abandoned" or not indexed.party_at(self._org, t):
                continue
            v = indexed.version
            covering = self._covering.get(v.key)
            in_force = status == "active" and v.effective_from <= t < v.expires_at
            failure = version_failure(indexed, status, self._org, t)
            key = (None if covering is None else covering.shape, in_force, failure)
            by_key.setdefault(key, []).append(indexed)
        return tuple(
            _Group(tuple(members), self._covering.get(members[0].version.key), in_force, failure)
            for (_, in_force, failure), members in by_key.items()
        )


def explain_denial(table: DenialTable | None, req: Request, t: datetime) -> tuple[Reason, ...]:
    """Every candidate version's failure, primary first: highest rank, then in force at ``t``,
    then lowest agreement id, then highest version (spec §3.5)."""
    groups = table.groups_at(t) if table is not None else ()
    if not groups:
        return (Reason("NO_AGREEMENT"),)
    outcomes: dict[int, Reason | str] = {}
    buckets: dict[tuple[int, bool], list[tuple[Reason, ...]]] = {}
    for group in groups:
        if group.covering is None:
            code, permission_id, fields = "DATASET_NOT_COVERED", None, None
        else:
            outcome = outcomes.get(group.covering.shape)
            if outcome is None:
                outcome = outcomes[group.covering.shape] = closest_permission(group.covering.items, req, t)
            if isinstance(outcome, str):  # a permission passes: the version itself fails
                # A group that would permit cannot reach here (the permit path found it); fail closed.
                code, permission_id, fields = group.version_failure or "INTEGRITY_FAILURE", outcome, None
            else:
                code, permission_id, fields = outcome.code, outcome.permission_id, outcome.fields
        reasons = group.reasons_for(code, permission_id, fields)
        buckets.setdefault((REASON_RANK[code], group.in_force), []).append(reasons)
    ordered: list[Reason] = []
    for key in sorted(buckets, key=lambda k: (-k[0], not k[1])):
        parts = buckets[key]
        if len(parts) == 1:
            ordered.extend(parts[0])
        else:
            ordered.extend(sorted((r for part in parts for r in part), key=_reason_order))
    return tuple(ordered)


def _reason_order(reason: Reason) -> tuple[str, int]:
    return (reason.agreement_id or "", -(reason.version or 0))
