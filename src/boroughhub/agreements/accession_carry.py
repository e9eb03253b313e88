"""Joiners carried into a later version (amendment §A.4.5): an acceded party is not a party of the next
version by itself, so the draft of the next version names it, exactly as its profile made it a party, and it
signs that version like everyone else.

"Exactly as its profile": a party entry with the profile's party role and the accountable officer it gave
when it joined; an assignee of each of the profile's permissions; a supplier of each dataset the profile
supplies; and the profile's retention statement. Parties that withdrew are not carried. Plain Python over
the content, so the rule is tested without a database.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from boroughhub.agreements.accession import accession_profiles


@dataclass(frozen=True)
class Joiner:
    org_id: str
    profile: str
    accountable_officer: str


def _add(items: list[Any], value: str) -> None:
    if "*" not in items and value not in items:
        items.append(value)


def _profile_retention(content: Mapping[str, Any], profile_id: str) -> dict[str, Any] | None:
    clause = content.get("accession")
    for raw in clause.get("profiles", ()) if isinstance(clause, Mapping) else ():
        if isinstance(raw, Mapping) and raw.get("id") == profile_id and isinstance(raw.get("retention"), Mapping):
            return dict(raw["retention"])
    return None


def _carry_retention(content: dict[str, Any], org_id: str, retention: Mapping[str, Any]) -> None:
    """Join the party to a statement that says the same, else add the profile's own statement for it."""
    statements = content.setdefault("retention", [])
    for statement in statements:
        if isinstance(statement, dict) and all(statement.get(k) == v for k, v in retention.items()):
            _add(statement.setdefault("parties", []), org_id)
            return
    statements.append({"parties": [org_id], **retention})


def carry_joiners(content: Mapping[str, Any], joiners: Iterable[Joiner]) -> dict[str, Any]:
    """A copy of ``content`` naming every joiner as its profile made it a party; the rest unchanged."""
    carried = copy.deepcopy(dict(content))
    profiles = accession_profiles(carried)
    parties = carried.setdefault("parties", [])
    named = {p.get("org_id") for p in parties if isinstance(p, dict)}
    permissions = {p.get("id"): p for p in carried.get("permissions", []) if isinstance(p, dict)}
    datasets = {d.get("dataset_id"): d for d in carried.get("datasets", []) if isinstance(d, dict)}
    for joiner in joiners:
        profile = profiles.get(joiner.profile)
        if profile is None or joiner.org_id in named:
            continue  # a profile that is gone cannot say what it was; a party already named keeps its terms
        parties.append({"org_id": joiner.org_id, "role": profile.party_role,
                        "accountable_officer": joiner.accountable_officer})
        named.add(joiner.org_id)
        for permission_id in profile.permissions:
            if permission_id in permissions:
                _add(permissions[permission_id].setdefault("assignees", []), joiner.org_id)
        for dataset_id in sorted(profile.supplies):
            if dataset_id in datasets:
                _add(datasets[dataset_id].setdefault("suppliers", []), joiner.org_id)
        retention = _profile_retention(carried, joiner.profile)
        if retention is not None:
            _carry_retention(carried, joiner.org_id, retention)
    return carried
