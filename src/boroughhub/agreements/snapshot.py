"""The read-only registry view that ``policy.decide()`` judges requests against (spec §3.1).

``decide(request, snapshot)`` is pure: everything it may consult is in a :class:`Snapshot`, and
everything it returns is a :class:`Decision`. These types are plain frozen dataclasses so the
web layer, the CLI, the audit log and the tests all build and read them the same way.

Building a snapshot
-------------------
The database adapter (owned by the Django side) turns the registry into plain dicts and calls
the ``from_dict`` / ``from_document`` constructors; tests do the same from literal JSON::

    from boroughhub.agreements.registers import load_dataset_register, load_purpose_register
    from boroughhub.agreements.snapshot import (
        AgreementVersion, Organisation, RoleGrant, Snapshot,
    )

    snapshot = Snapshot.build(
        organisations=[Organisation.from_dict(o) for o in org_rows],
        role_grants=[RoleGrant.from_dict(g) for g in grant_rows],
        datasets=load_dataset_register(),          # or Dataset.from_dict(...) per register row
        purposes=load_purpose_register(),          # or Purpose.from_dict(...) per register row
        versions=[AgreementVersion.from_document(doc) for doc in version_documents],
        registry_revision=42,
    )

``AgreementVersion.from_document`` takes the version document of spec Appendix A (content plus
envelope). ``Snapshot.build`` recomputes every content hash once (spec §2.3: "recomputed
whenever a version is loaded into the enforcement snapshot") and indexes permissions by
(org, dataset) so each decision is a few dictionary look-ups. Rebuild the snapshot whenever
``registry_revision`` changes; never mutate one.

Instants are timezone-aware ``datetime`` objects; the ``from_*`` constructors accept RFC 3339
strings ending in ``Z`` or an offset and convert them to UTC.
"""


from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from boroughhub.agreements.decisions import (
    Decision,
    Match,
    Obligations,
    Reason,
    Request,
    RowFilter,
    Stamp,
)
from boroughhub.agreements.registry_entries import (
    Dataset,
    DatasetField,
    Organisation,
    Purpose,
    RoleGrant,
    Suspension,
)
from boroughhub.agreements.snapshot_index import SnapshotIndex
from boroughhub.agreements.versions import (
    AgreementVersion,
    DatasetEntry,
    Permission,
    Prohibition,
    SignOff,
    StatusChange,
    Withdrawal,
)
from boroughhub.agreements.vocabulary import (
    ACTIONS,
    PERMISSION_ROLES,
    ROLE_CEILING,
    ROLES,
    STATUSES,
    DecisionOutcome,
    format_instant,
    parse_instant,
)

__all__ = [  # one import site for callers: the snapshot and everything it is made of
    "ACTIONS", "PERMISSION_ROLES", "ROLES", "ROLE_CEILING", "STATUSES",
    "AgreementVersion", "Dataset", "DatasetEntry", "DatasetField", "Decision", "DecisionOutcome", "Match",
    "Obligations", "Organisation", "Permission", "Prohibition", "Purpose", "Reason", "Request", "RoleGrant",
    "RowFilter", "SignOff", "Snapshot", "Stamp", "StatusChange", "Suspension", "Withdrawal",
    "format_instant", "parse_instant",
]

# --------------------------------------------------------------------------- agreement versions
# The content classes below are the parts of a version's content that enforcement reads;
# the full content stays available, untouched, as ``AgreementVersion.content``.


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything ``decide()`` may consult. Build it with :meth:`build`, which also indexes it."""

    organisations: Mapping[str, Organisation]
    role_grants: tuple[RoleGrant, ...]
    datasets: Mapping[str, Dataset]
    purposes: Mapping[str, Purpose]
    versions: tuple[AgreementVersion, ...]
    registry_revision: int | str | None = None
    index: Any = field(default=None, compare=False, repr=False)
    """The lookup tables (a ``snapshot_index.SnapshotIndex``); built once by :meth:`build`."""

    @classmethod
    def build(
        cls,
        *,
        organisations: Iterable[Organisation],
        role_grants: Iterable[RoleGrant],
        datasets: Iterable[Dataset],
        purposes: Iterable[Purpose],
        versions: Iterable[AgreementVersion],
        registry_revision: int | str | None = None,
    ) -> Snapshot:
        """Assemble and index a snapshot; recomputes every version's content hash once."""
        bare = cls(
            organisations={o.id: o for o in organisations},
            role_grants=tuple(role_grants),
            datasets={d.id: d for d in datasets},
            purposes={p.code: p for p in purposes},
            versions=tuple(sorted(versions, key=lambda v: v.key)),
            registry_revision=registry_revision,
        )
        return cls(
            organisations=bare.organisations,
            role_grants=bare.role_grants,
            datasets=bare.datasets,
            purposes=bare.purposes,
            versions=bare.versions,
            registry_revision=registry_revision,
            index=SnapshotIndex(bare.role_grants, bare.versions),
        )

    def version(self, agreement_id: str, version: int) -> AgreementVersion | None:
        for candidate in self.versions:
            if candidate.key == (agreement_id, version):
                return candidate
        return None
