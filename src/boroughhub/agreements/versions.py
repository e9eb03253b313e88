"""An agreement version as enforcement reads it: parsed once from its version document.

``AgreementVersion.from_document`` takes the JSON of spec Appendix A (content plus envelope).
The full content stays available, untouched, as ``AgreementVersion.content`` so its hash can be
recomputed; the classes here are the parts that ``decide()`` consults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from boroughhub.agreements.accession import Accession, JoinedParty, accession_profiles, joined_parties
from boroughhub.agreements.vocabulary import optional_instant, parse_instant


@dataclass(frozen=True, slots=True)
class Permission:
    id: str
    assignees: frozenset[str]
    dataset: str
    actions: frozenset[str]
    field_set: str
    purposes: frozenset[str]
    roles: frozenset[str]
    suppliers: frozenset[str] | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    min_cell_size: int | None = None

    def in_window(self, t: datetime) -> bool:
        if self.valid_from is not None and t < self.valid_from:
            return False
        return self.valid_until is None or t < self.valid_until

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Permission:
        suppliers = data.get("suppliers")
        return cls(
            id=data["id"],
            assignees=frozenset(data["assignees"]),
            dataset=data["dataset"],
            actions=frozenset(data["actions"]),
            field_set=data["field_set"],
            purposes=frozenset(data["purposes"]),
            roles=frozenset(data["roles"]),
            suppliers=None if suppliers is None else frozenset(suppliers),
            valid_from=optional_instant(data.get("valid_from")),
            valid_until=optional_instant(data.get("valid_until")),
            min_cell_size=data.get("min_cell_size"),
        )


@dataclass(frozen=True, slots=True)
class Prohibition:
    """A rule that forbids actions and overrides permissions, across agreements (spec §3.5).

    ``assignees`` / ``datasets`` hold ``"*"`` for "all"; ``purposes`` empty means every purpose.
    """

    id: str
    assignees: frozenset[str]
    datasets: frozenset[str]
    actions: frozenset[str]
    reason: str
    purposes: frozenset[str] = frozenset()

    def binds(self, org: str, dataset: str, action: str, purpose: str) -> bool:
        return (
            ("*" in self.assignees or org in self.assignees)
            and ("*" in self.datasets or dataset in self.datasets)
            and action in self.actions
            and (not self.purposes or purpose in self.purposes)
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prohibition:
        return cls(
            id=data["id"],
            assignees=frozenset(data["assignees"]),
            datasets=frozenset(data["datasets"]),
            actions=frozenset(data["actions"]),
            reason=data.get("reason", ""),
            purposes=frozenset(data.get("purposes", ())),
        )


@dataclass(frozen=True, slots=True)
class DatasetEntry:
    """A dataset as one version covers it: its suppliers or controllers and named field sets."""

    dataset_id: str
    field_sets: Mapping[str, frozenset[str]]
    suppliers: frozenset[str] = frozenset()
    controllers: frozenset[str] = frozenset()
    derived_from: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DatasetEntry:
        return cls(
            dataset_id=data["dataset_id"],
            field_sets={name: frozenset(fields) for name, fields in data["field_sets"].items()},
            suppliers=frozenset(data.get("suppliers", ())),
            controllers=frozenset(data.get("controllers", ())),
            derived_from=tuple(data.get("derived_from", ())),
        )


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: str
    at: datetime
    by: str = ""
    reason: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatusChange:
        return cls(status=data["status"], at=parse_instant(data["at"]), by=data.get("by", ""),
                   reason=data.get("reason"))


@dataclass(frozen=True, slots=True)
class SignOff:
    """A sign-off record (spec §1.10); only the fields enforcement needs are required."""

    party: str
    decision: Literal["approve", "decline", "revoke"]
    content_hash: str
    signed_at: datetime
    signer_user_id: str = ""
    id: str = ""
    signer_position: str = ""
    on_behalf_of_user_id: str | None = None
    delegation_id: str | None = None
    reason: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignOff:
        return cls(
            id=data.get("id", ""),
            party=data["party"],
            decision=data["decision"],
            content_hash=data["content_hash"],
            signed_at=parse_instant(data["signed_at"]),
            signer_user_id=data.get("signer_user_id", ""),
            signer_position=data.get("signer_position", ""),
            on_behalf_of_user_id=data.get("on_behalf_of_user_id"),
            delegation_id=data.get("delegation_id"),
            reason=data.get("reason"),
        )


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A party leaving a version; from ``effective_at`` it is treated as absent (spec §2.6)."""

    party: str
    effective_at: datetime
    notice_given_at: datetime | None = None
    by_user_id: str = ""
    reason: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Withdrawal:
        return cls(
            party=data["party"],
            effective_at=parse_instant(data["effective_at"]),
            notice_given_at=optional_instant(data.get("notice_given_at")),
            by_user_id=data.get("by_user_id", ""),
            reason=data.get("reason"),
        )


@dataclass(frozen=True, slots=True)
class AgreementVersion:
    """One version of an agreement as enforcement sees it.

    ``content`` is the signed content exactly as stored (the hash is recomputed from it);
    the other fields are parsed from it, or from the envelope, once.
    """

    agreement_id: str
    version: int
    content: Mapping[str, Any]
    content_hash: str
    parties: tuple[str, ...]
    datasets: Mapping[str, DatasetEntry]
    permissions: tuple[Permission, ...]
    prohibitions: tuple[Prohibition, ...]
    effective_from: datetime
    expires_at: datetime
    status_history: tuple[StatusChange, ...]
    sign_offs: tuple[SignOff, ...] = ()
    withdrawals: tuple[Withdrawal, ...] = ()
    lead_party: str | None = None
    accessions: tuple[Accession, ...] = ()
    joined: Mapping[str, JoinedParty] = field(default_factory=dict)
    """Organisations that acceded (``accession.joined_parties``): parties from their accession time."""

    @property
    def key(self) -> tuple[str, int]:
        return (self.agreement_id, self.version)

    def party_at(self, org: str, t: datetime) -> bool:
        """Named by the content, or acceded by ``t`` (never before its accession time)."""
        if org in self.parties:
            return True
        joined = self.joined.get(org)
        return joined is not None and joined.since <= t

    def assignees_of(self, permission: Permission) -> frozenset[str]:
        """The permission's assignees plus every acceded party whose profile lists it."""
        extra = [org for org, joined in self.joined.items() if permission.id in joined.profile.permissions]
        return permission.assignees | frozenset(extra) if extra else permission.assignees

    def acceded_suppliers(self, dataset: str) -> frozenset[str]:
        """Acceded parties that supply ``dataset`` under their profile (from their accession time)."""
        return frozenset(org for org, joined in self.joined.items() if dataset in joined.profile.supplies)

    @property
    def status(self) -> str | None:
        """The current status: the last entry of ``status_history``."""
        return self.status_history[-1].status if self.status_history else None

    def status_at(self, t: datetime) -> str | None:
        """The status of the last history entry with ``at <= t``; None before the first."""
        current: str | None = None
        for change in self.status_history:
            if change.at <= t:
                current = change.status
            else:
                break
        return current

    def withdrawn_at(self, org: str, t: datetime) -> bool:
        return any(w.party == org and w.effective_at <= t for w in self.withdrawals)

    def in_window(self, t: datetime) -> bool:
        return self.effective_from <= t < self.expires_at

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> AgreementVersion:
        """From a version document (spec §1.4, Appendix A): ``{agreement_id, version, content,
        content_hash, status_history, sign_offs, withdrawals, ...}``. Extra envelope keys are ignored."""
        content = doc["content"]
        parties = tuple(p["org_id"] for p in content["parties"])
        digest = doc.get("content_hash") or ""
        accessions = tuple(Accession.from_dict(a) for a in doc.get("accessions", ()))
        history = sorted((StatusChange.from_dict(s) for s in doc.get("status_history", ())),
                         key=lambda change: change.at)
        return cls(
            agreement_id=doc["agreement_id"],
            version=int(doc["version"]),
            content=content,
            content_hash=digest,
            parties=parties,
            datasets={d["dataset_id"]: DatasetEntry.from_dict(d) for d in content["datasets"]},
            permissions=tuple(Permission.from_dict(p) for p in content["permissions"]),
            prohibitions=tuple(Prohibition.from_dict(x) for x in content.get("prohibitions", ())),
            effective_from=parse_instant(content["time"]["effective_from"]),
            expires_at=parse_instant(content["time"]["expires_at"]),
            status_history=tuple(history),
            sign_offs=tuple(SignOff.from_dict(s) for s in doc.get("sign_offs", ())),
            withdrawals=tuple(Withdrawal.from_dict(w) for w in doc.get("withdrawals", ())),
            lead_party=doc.get("lead_party"),
            accessions=accessions,
            joined=joined_parties(parties, digest, accession_profiles(content), accessions),
        )


# --------------------------------------------------------------------------- the snapshot
