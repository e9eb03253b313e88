"""Lookup tables built once per snapshot so each ``decide()`` call does little work (spec §3.8).

Permissions are indexed by (org, dataset, action) for the permit path, as a ``PermitTable`` of time
segments, and by (org, dataset) for the explanation of a denial (a ``denials.DenialTable``, built on
first use). What the tables hold is in ``permission_index``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from boroughhub.agreements.decisions import Match
from boroughhub.agreements.denials import DenialTable
from boroughhub.agreements.permission_index import (
    CoveringPermissions,
    IndexedPermission,
    IndexedVersion,
    PermitTable,
)
from boroughhub.agreements.registry_entries import RoleGrant
from boroughhub.agreements.versions import AgreementVersion, Prohibition


class SnapshotIndex:
    """The lookup tables of one snapshot. Built once by ``Snapshot.build``; read-only after."""

    def __init__(self, role_grants: Iterable[RoleGrant], versions: Iterable[AgreementVersion]) -> None:
        self.grants: dict[tuple[str, str, str], list[RoleGrant]] = defaultdict(list)
        for grant in role_grants:
            self.grants[(grant.user_id, grant.org_id, grant.role)].append(grant)
        #: Versions each organisation is a party to, by agreement_id and then newest version
        #: first: the order in which equally ranked denial reasons are listed (spec §3.5).
        self.versions_by_org: dict[str, list[IndexedVersion]] = defaultdict(list)
        #: (org, dataset, action) -> when which permissions can permit (the permit path).
        self.permit_tables: dict[tuple[str, str, str], PermitTable] = {}
        #: (org, dataset) -> version key -> the permissions naming org (for explaining denials).
        self.permissions: dict[tuple[str, str], dict[tuple[str, int], CoveringPermissions]] = defaultdict(dict)
        self._shapes: dict[tuple[object, ...], int] = {}
        #: (org, action) -> prohibitions of versions org is a party to, in (agreement, version, id) order.
        self.prohibitions: dict[tuple[str, str], list[tuple[IndexedVersion, Prohibition]]] = defaultdict(list)

        for_action: dict[tuple[str, str, str], list[IndexedPermission]] = defaultdict(list)
        for version in sorted(versions, key=lambda v: v.key):
            self._add(IndexedVersion.of(version), for_action)
        for (org, dataset, action), items in for_action.items():
            self.permit_tables[(org, dataset, action)] = PermitTable(org, items)
        for party_versions in self.versions_by_org.values():
            party_versions.sort(key=lambda i: (i.version.agreement_id, -i.version.version))
        self._denial_tables: dict[tuple[str, str], DenialTable] = {}

    def denial_table(self, org: str, dataset: str) -> DenialTable | None:
        """The table that explains denials of ``org`` on ``dataset``; built on first use, because
        most (org, dataset) pairs are never denied. None if org is a party to no version."""
        table = self._denial_tables.get((org, dataset))
        if table is None:
            versions = self.versions_by_org.get(org)
            if not versions:
                return None
            table = DenialTable(org, versions, self.permissions.get((org, dataset), {}))
            self._denial_tables[(org, dataset)] = table
        return table

    def _add(self, indexed: IndexedVersion, for_action: dict[tuple[str, str, str], list[IndexedPermission]]) -> None:
        version = indexed.version
        parties = set(version.parties) | set(version.joined)  # acceded parties: see IndexedVersion.party_at
        for org in sorted(parties):
            self.versions_by_org[org].append(indexed)
        by_org_dataset: dict[tuple[str, str], list[IndexedPermission]] = defaultdict(list)
        for permission in sorted(version.permissions, key=lambda p: p.id):
            entry = version.datasets.get(permission.dataset)
            fields = entry.field_sets.get(permission.field_set, frozenset()) if entry else frozenset()
            # A permission that names its suppliers keeps to them; one that covers "the dataset's
            # suppliers" covers acceded suppliers too, from their accession time (see _groups_at).
            suppliers = permission.suppliers if permission.suppliers is not None else (
                (entry.suppliers | version.acceded_suppliers(permission.dataset)) if entry else frozenset())
            item = IndexedPermission(indexed, permission, fields, suppliers,
                                     Match(version.agreement_id, version.version, permission.id))
            for org in sorted(version.assignees_of(permission)):
                by_org_dataset[(org, permission.dataset)].append(item)
                for action in permission.actions:
                    for_action[(org, permission.dataset, action)].append(item)
        for key, items in by_org_dataset.items():
            shape = self._shapes.setdefault(shape_key(items), len(self._shapes))
            self.permissions[key][version.key] = CoveringPermissions(shape, tuple(items))
        for prohibition in sorted(version.prohibitions, key=lambda x: x.id):
            bound = parties if "*" in prohibition.assignees else parties & prohibition.assignees
            for org in bound:
                for action in prohibition.actions:
                    self.prohibitions[(org, action)].append((indexed, prohibition))


def shape_key(items: list[IndexedPermission]) -> tuple[object, ...]:
    return tuple(
        (i.permission.id, i.permission.actions, i.permission.purposes, i.permission.roles,
         i.permission.valid_from, i.permission.valid_until, i.fields)
        for i in items
    )
