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
from datetime import datetime
from typing import Any, Literal

from boroughhub.agreements.decisions import (
    Decision,
    Match,
    Obligations,
    Reason,
    Request,
    RowFilter,
    Stamp,
)
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
    optional_instant,
    parse_instant,
)

__all__ = [  # one import site for callers: the snapshot and everything it is made of
    "ACTIONS", "PERMISSION_ROLES", "ROLES", "ROLE_CEILING", "STATUSES",
    "AgreementVersion", "Dataset", "DatasetEntry", "DatasetField", "Decision", "DecisionOutcome", "Match",
    "Obligations", "Organisation", "Permission", "Prohibition", "Purpose", "Reason", "Request", "RoleGrant",
    "RowFilter", "SignOff", "Snapshot", "Stamp", "StatusChange", "Suspension", "Withdrawal",
    "format_instant", "parse_instant",
]

@dataclass(frozen=True, slots=True)
class Suspension:
    """An organisation-wide suspension: every request by the organisation is denied in [start, until)."""

    start: datetime
    until: datetime | None = None
    reason: str = ""
    by: str = ""

    def covers(self, t: datetime) -> bool:
        return self.start <= t and (self.until is None or t < self.until)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Suspension:
        """Accepts the spec's keys ``{from, until?, reason, by}``."""
        return cls(
            start=parse_instant(data["from"]),
            until=optional_instant(data.get("until")),
            reason=data.get("reason", ""),
            by=data.get("by", ""),
        )


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str = ""
    type: str = "other"
    status: str = "active"
    ons_code: str | None = None
    supplier_code: str | None = None
    suspensions: tuple[Suspension, ...] = ()

    def suspended_at(self, t: datetime) -> bool:
        return any(s.covers(t) for s in self.suspensions)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Organisation:
        return cls(
            id=data["id"],
            name=data.get("name", ""),
            type=data.get("type", "other"),
            status=data.get("status", "active"),
            ons_code=data.get("ons_code") or None,
            supplier_code=data.get("supplier_code") or None,
            suspensions=tuple(Suspension.from_dict(s) for s in data.get("suspensions", ())),
        )


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """A user's role in an organisation, held in [valid_from, min(valid_until, revoked_at))."""

    user_id: str
    org_id: str
    role: str
    valid_from: datetime
    valid_until: datetime | None = None
    revoked_at: datetime | None = None
    id: str = ""

    def held_at(self, t: datetime) -> bool:
        if t < self.valid_from:
            return False
        if self.valid_until is not None and t >= self.valid_until:
            return False
        return self.revoked_at is None or t < self.revoked_at

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoleGrant:
        return cls(
            id=str(data.get("id", "")),
            user_id=data["user_id"],
            org_id=data["org_id"],
            role=data["role"],
            valid_from=parse_instant(data["valid_from"]),
            valid_until=optional_instant(data.get("valid_until")),
            revoked_at=optional_instant(data.get("revoked_at")),
        )


# --------------------------------------------------------------------------- registry: datasets, purposes


@dataclass(frozen=True, slots=True)
class DatasetField:
    """One registered field and its protection flags (spec §1.6)."""

    name: str
    label: str = ""
    type: str = ""
    special_category: str | None = None
    criminal_offence: bool = False
    identifier: Literal["direct", "indirect", "none"] = "none"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DatasetField:
        return cls(
            name=data["name"],
            label=data.get("label", ""),
            type=data.get("type", ""),
            special_category=data.get("special_category"),
            criminal_offence=bool(data.get("criminal_offence", False)),
            identifier=data.get("identifier", "none"),
        )


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset of the hub-wide register (not of one agreement)."""

    id: str
    title: str
    kind: Literal["source", "derived"]
    fields: Mapping[str, DatasetField]
    aggregate: bool = False
    registered_suppliers: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dataset:
        fields = [DatasetField.from_dict(f) for f in data["fields"]]
        return cls(
            id=data["id"],
            title=data.get("title", data["id"]),
            kind=data["kind"],
            fields={f.name: f for f in fields},
            aggregate=bool(data.get("aggregate", False)),
            registered_suppliers=frozenset(data.get("registered_suppliers", ())),
        )


@dataclass(frozen=True, slots=True)
class Purpose:
    code: str
    label: str = ""
    description: str = ""
    law_enforcement: bool = False
    broader: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Purpose:
        return cls(
            code=data["code"],
            label=data.get("label", ""),
            description=data.get("description", ""),
            law_enforcement=bool(data.get("law_enforcement", False)),
            broader=data.get("broader"),
        )


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
        from boroughhub.agreements.snapshot_index import SnapshotIndex  # it imports this module

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
            index=SnapshotIndex(bare),
        )

    def version(self, agreement_id: str, version: int) -> AgreementVersion | None:
        for candidate in self.versions:
            if candidate.key == (agreement_id, version):
                return candidate
        return None
