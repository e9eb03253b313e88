"""The hub-wide registry entries a snapshot is made of: organisations (with their suspensions), role
grants, and the dataset and purpose registers (spec §1.5-§1.6). Plain frozen dataclasses.

``snapshot`` re-exports them: callers import them from there, with the snapshot they make up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from boroughhub.agreements.vocabulary import optional_instant, parse_instant


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
