"""Accession: a new organisation joins an active version under a profile the parties signed in advance.

The amendment ``docs/agreements-accession.md`` to the agreements spec holds the rules; in short:

- A version's content may carry an ``accession`` clause with named **profiles** ("borough",
  "hostel_provider"). Each profile lists the organisation types that may join under it, the party
  role they take, the version's own permissions they are added to as an assignee, and the source
  datasets they then supply. The existing parties agree to all of it by signing the version.
- A joining organisation's IG lead signs the **same content hash** (the accession request), and the
  hub admin countersigns it. From the countersignature (the accession time, never before) the
  organisation is a party to the version for exactly its profile's permissions.
- The accession records are envelope (like sign-offs): they never change the content or its hash,
  so no existing party signs again.

Plain Python: the enforcement snapshot and the validation rules read these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boroughhub.agreements.vocabulary import optional_instant, parse_instant

#: The states of an accession record (envelope ``accessions[].status``).
ACCESSION_STATUSES: tuple[str, ...] = ("requested", "joined", "declined")


@dataclass(frozen=True, slots=True)
class AccessionProfile:
    """One named profile of a version's accession clause (content, hashed)."""

    id: str
    title: str
    org_types: frozenset[str]
    party_role: str
    permissions: tuple[str, ...]
    supplies: frozenset[str] = frozenset()
    description: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AccessionProfile:
        return cls(
            id=data["id"],
            title=data.get("title", data["id"]),
            org_types=frozenset(data.get("org_types", ())),
            party_role=data.get("party_role", "controller"),
            permissions=tuple(data.get("permissions", ())),
            supplies=frozenset(data.get("supplies", ())),
            description=data.get("description", ""),
        )


def accession_profiles(content: Mapping[str, Any]) -> dict[str, AccessionProfile]:
    """The profiles of a version's content by id; empty when it offers no accession."""
    clause = content.get("accession")
    if not isinstance(clause, Mapping):
        return {}
    profiles: dict[str, AccessionProfile] = {}
    for raw in clause.get("profiles", ()):
        if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
            profiles.setdefault(raw["id"], AccessionProfile.from_dict(raw))
    return profiles


@dataclass(frozen=True, slots=True)
class Accession:
    """An accession record (envelope, not hashed): the joining IG lead's signature and the countersignature."""

    party: str
    profile: str
    status: str
    content_hash: str
    signed_at: datetime
    countersigned_at: datetime | None = None
    id: str = ""
    signer_user_id: str = ""
    countersigned_by_user_id: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Accession:
        return cls(
            id=data.get("id", ""),
            party=data["party"],
            profile=data["profile"],
            status=data["status"],
            content_hash=data["content_hash"],
            signed_at=parse_instant(data["signed_at"]),
            countersigned_at=optional_instant(data.get("countersigned_at")),
            signer_user_id=data.get("signer_user_id", ""),
            countersigned_by_user_id=data.get("countersigned_by_user_id"),
        )


@dataclass(frozen=True, slots=True)
class JoinedParty:
    """An organisation that acceded: a party from ``since`` for exactly ``profile``'s permissions."""

    org: str
    since: datetime
    profile: AccessionProfile


def joined_parties(
    parties: tuple[str, ...],
    content_hash: str,
    profiles: Mapping[str, AccessionProfile],
    accessions: tuple[Accession, ...],
) -> dict[str, JoinedParty]:
    """The accessions that count, by organisation.

    One counts when it is ``joined`` (countersigned), was signed on the version's own content hash,
    names a profile of the clause, is countersigned no earlier than signed, and is by an
    organisation the content does not already name. If an organisation has several, the earliest
    counts (a later one cannot widen what it joined for: that needs a new version).
    """
    joined: dict[str, JoinedParty] = {}
    for accession in sorted(accessions, key=lambda a: (a.countersigned_at or a.signed_at, a.id)):
        profile = profiles.get(accession.profile)
        since = accession.countersigned_at
        if (accession.status != "joined" or since is None or since < accession.signed_at or profile is None
                or not content_hash or accession.content_hash != content_hash
                or accession.party in parties or accession.party in joined):
            continue
        joined[accession.party] = JoinedParty(accession.party, since, profile)
    return joined
