"""What the lookup tables of a snapshot hold (spec §3.8): the indexed versions and permissions that
``snapshot_index`` builds and ``policy`` and ``denials`` read.

Two things are precomputed per version:

- the **windows in which it can permit**: the periods its status history says ``active``, cut
  to ``[effective_from, expires_at)``, and empty if its content no longer matches what every
  party signed (spec §2.4). A permit then needs one interval test instead of re-reading the
  history, the window and the hash;
- the **windows in which its prohibitions bind**: ``active`` or ``suspended``, in its window.

Permissions are indexed by (org, dataset, action) for the permit path, as a :class:`PermitTable`
of time segments, and by (org, dataset) for the explanation of a denial. Each entry carries its
field set and a ready ``Match``, so a permit allocates almost nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from boroughhub.agreements.decisions import Match, Reason
from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.versions import AgreementVersion, Permission

Interval = tuple[datetime, datetime]


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


def _periods(version: AgreementVersion, statuses: frozenset[str]) -> tuple[Interval, ...]:
    """When the status history is in ``statuses``, cut to the version's window."""
    history = version.status_history
    periods = []
    for position, change in enumerate(history):
        if change.status not in statuses:
            continue
        end = history[position + 1].at if position + 1 < len(history) else version.expires_at
        start, end = max(change.at, version.effective_from), min(end, version.expires_at)
        if start < end:
            periods.append((start, end))
    return tuple(periods)


@dataclass(frozen=True, slots=True)
class IndexedVersion:
    """A version with what every decision needs precomputed."""

    version: AgreementVersion
    status_times: tuple[datetime, ...]
    statuses: tuple[str, ...]
    withdrawn_from: Mapping[str, datetime]
    joined_from: Mapping[str, datetime]
    """Acceded parties' accession times: before it, the version is nothing to them (not a candidate)."""
    integrity_ok: bool
    permits_during: tuple[Interval, ...]
    prohibits_during: tuple[Interval, ...]
    not_covered: Reason
    """``DATASET_NOT_COVERED`` for this version, made once."""

    def status_at(self, t: datetime) -> str | None:
        position = bisect_right(self.status_times, t)
        return self.statuses[position - 1] if position else None

    def withdrawn_at(self, org: str, t: datetime) -> bool:
        effective_at = self.withdrawn_from.get(org)
        return effective_at is not None and effective_at <= t

    def party_at(self, org: str, t: datetime) -> bool:
        """Whether ``org`` is a party at ``t``: always for a named party, from its accession time for an acceded one."""
        since = self.joined_from.get(org)
        return since is None or since <= t

    def in_force_at(self, t: datetime) -> bool:
        return self.status_at(t) == "active" and self.version.in_window(t)

    def can_permit(self, org: str, t: datetime) -> bool:
        """Active, in its window, intact and ``org`` not withdrawn at ``t``."""
        for start, end in self.permits_during:
            if start <= t < end:
                return (not self.withdrawn_from or not self.withdrawn_at(org, t)) and self.party_at(org, t)
        return False

    def prohibitions_bind(self, org: str, t: datetime) -> bool:
        for start, end in self.prohibits_during:
            if start <= t < end:
                return (not self.withdrawn_from or not self.withdrawn_at(org, t)) and self.party_at(org, t)
        return False

    @classmethod
    def of(cls, version: AgreementVersion) -> IndexedVersion:
        withdrawn: dict[str, datetime] = {}
        for withdrawal in version.withdrawals:
            current = withdrawn.get(withdrawal.party)
            if current is None or withdrawal.effective_at < current:
                withdrawn[withdrawal.party] = withdrawal.effective_at
        try:
            integrity_ok = version_integrity_ok(version)
        except (TypeError, ValueError):
            integrity_ok = False
        return cls(
            version=version,
            status_times=tuple(change.at for change in version.status_history),
            statuses=tuple(change.status for change in version.status_history),
            withdrawn_from=withdrawn,
            joined_from={org: joined.since for org, joined in version.joined.items()},
            integrity_ok=integrity_ok,
            permits_during=_periods(version, frozenset({"active"})) if integrity_ok else (),
            prohibits_during=_periods(version, frozenset({"active", "suspended"})),
            not_covered=Reason("DATASET_NOT_COVERED", version.agreement_id, version.version),
        )


@dataclass(frozen=True, slots=True)
class IndexedPermission:
    """One permission of one version, ready to be checked against a request."""

    indexed_version: IndexedVersion
    permission: Permission
    fields: frozenset[str]
    """The members of the permission's field set (empty if the set is undefined)."""
    suppliers: frozenset[str]
    """Whose rows it covers: its own ``suppliers``, else the dataset's suppliers in the version."""
    match: Match


@dataclass(frozen=True, slots=True)
class PermitGroup:
    """Permissions that can permit during one time segment and ask the same of a request.

    Checking a request against the group once stands for checking every member: the members
    share purposes, roles and field set, and are all in force (version and permission window)
    throughout the segment. ``suppliers`` and ``min_cell_size`` are the members' obligations
    already combined (spec §3.6).
    """

    purposes: frozenset[str]
    roles: frozenset[str]
    fields: frozenset[str]
    members: tuple[IndexedPermission, ...]
    """In (agreement_id, version, permission id) order."""
    matches: tuple[Match, ...]
    """The members' matches, in the same order."""
    suppliers: frozenset[str]
    min_cell_size: int | None

    def admits(self, purpose: str, role: str, fields: frozenset[str]) -> bool:
        return purpose in self.purposes and role in self.roles and fields <= self.fields


class PermitTable:
    """For one (org, dataset, action): which permissions can permit when, as time segments.

    Everything that changes whether a permission can permit (its version's active periods and
    window, its own window, a withdrawal) happens at a known instant. Between two consecutive
    instants the set of permissions that can permit is fixed, so it is computed once, grouped by
    what it asks of a request, and found by bisection at decision time.
    """

    __slots__ = ("breakpoints", "segments")

    def __init__(self, org: str, items: list[IndexedPermission]) -> None:
        instants: set[datetime] = set()
        for item in items:
            indexed, permission = item.indexed_version, item.permission
            for start, end in indexed.permits_during:
                instants.update((start, end))
            instants.update(t for t in (permission.valid_from, permission.valid_until) if t is not None)
            instants.update(indexed.withdrawn_from.values())
            instants.update(indexed.joined_from.values())
        self.breakpoints: tuple[datetime, ...] = tuple(sorted(instants))
        # Segment 0 is before the first breakpoint, where no bounded period has started.
        self.segments: tuple[tuple[PermitGroup, ...], ...] = ((),) + tuple(
            _groups_at(org, items, t) for t in self.breakpoints
        )

    def groups_at(self, t: datetime) -> tuple[PermitGroup, ...]:
        return self.segments[bisect_right(self.breakpoints, t)]


def _groups_at(org: str, items: list[IndexedPermission], t: datetime) -> tuple[PermitGroup, ...]:
    shapes: dict[tuple[frozenset[str], frozenset[str], frozenset[str]], list[IndexedPermission]] = {}
    for item in items:
        if item.indexed_version.can_permit(org, t) and item.permission.in_window(t):
            p = item.permission
            shapes.setdefault((p.purposes, p.roles, item.fields), []).append(item)
    groups = []
    for (purposes, roles, fields), members in shapes.items():
        suppliers: set[str] = set()
        for item in members:
            indexed = item.indexed_version
            suppliers.update(s for s in item.suppliers if not indexed.withdrawn_at(s, t) and indexed.party_at(s, t))
        sizes = [m.permission.min_cell_size for m in members if m.permission.min_cell_size is not None]
        groups.append(PermitGroup(purposes, roles, fields, tuple(members), tuple(m.match for m in members),
                                  frozenset(suppliers), max(sizes) if sizes else None))
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class CoveringPermissions:
    """The permissions of one version that name one org on one dataset.

    ``shape`` is equal for two versions whose permissions ask exactly the same of a request, so
    when a denial is explained the permission checks run once per shape, not once per version.
    """

    shape: int
    items: tuple[IndexedPermission, ...]
