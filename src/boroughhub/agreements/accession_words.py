"""An accession clause and its acceded parties in plain English, for the version, join and countersign pages.

No Django here: the pages pass in the registers' names (``wording.Names``) and the accession rows as
plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from boroughhub.agreements.accession import accession_profiles
from boroughhub.agreements.wording import (
    ACTION_WORDS,
    PARTY_ROLE_WORDS,
    ROLE_WORDS,
    Names,
    join_words,
    london,
    utc,
)

ORG_TYPE_WORDS = {"borough": "London local authorities", "provider": "hostel and outreach providers",
                  "gla": "the Greater London Authority", "police": "police forces", "other": "other organisations"}


def describe_profiles(content: Mapping[str, Any], names: Names) -> list[dict[str, Any]]:
    """Each profile: who may join under it, as what, what it may do (by the version's own permissions)."""
    permissions = {p.get("id"): p for p in content.get("permissions") or [] if isinstance(p, Mapping)}
    described = []
    for profile in accession_profiles(content).values():
        may = []
        for pid in profile.permissions:
            permission = permissions.get(pid)
            if permission is None:
                continue
            actions = join_words(ACTION_WORDS.get(a, a) for a in permission.get("actions") or [])
            roles = join_words(ROLE_WORDS.get(r, r) for r in permission.get("roles") or [])
            purposes = join_words(names.purpose(p) for p in permission.get("purposes") or [])
            may.append(f"Its {roles} may {actions} {names.dataset(permission.get('dataset'))}, "
                       f"for {purposes} (permission {pid}).")
        described.append({
            "id": profile.id, "title": profile.title, "description": profile.description,
            "open_to": join_words(ORG_TYPE_WORDS.get(t, t) for t in sorted(profile.org_types)),
            "role": PARTY_ROLE_WORDS.get(profile.party_role, profile.party_role),
            "supplies": [names.dataset(d) for d in sorted(profile.supplies)],
            "may": may,
        })
    return described


def describe_joined(accessions: Iterable[Mapping[str, Any]], content: Mapping[str, Any],
                    names: Names) -> list[dict[str, str]]:
    """The organisations that joined, under which profile and from when (London and UTC)."""
    titles = {p.id: p.title for p in accession_profiles(content).values()}
    return [{"name": names.organisation(a["party"]), "profile": titles.get(a["profile"], a["profile"]),
             "since": london(a["countersigned_at"]), "since_utc": utc(a["countersigned_at"]),
             "position": str(a.get("signer_position", ""))}
            for a in accessions if a.get("status") == "joined" and a.get("countersigned_at")]


def _profile_sentence(profile: Mapping[str, Any]) -> str:
    supplies = f", supplying {join_words(profile['supplies'])}" if profile["supplies"] else ""
    return (f"{profile['open_to'][:1].upper()}{profile['open_to'][1:]} may join as “{profile['title']}”, "
            f"as {profile['role'].lower()}{supplies}. {' '.join(profile['may'])}")


def describe_accession_changes(changes: Any, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    """``what_changed``'s describer of the accession clause: what a signatory must notice about who may join."""
    old_clause = old if isinstance(old, Mapping) else {}
    new_clause = new if isinstance(new, Mapping) else {}
    if not new_clause:
        changes.add("Nobody may join this version by accession any more.")
        return
    before = {p["id"]: p for p in describe_profiles({**after, "accession": old_clause}, names)} if old_clause else {}
    now = {p["id"]: p for p in describe_profiles(after, names)}
    for profile_id, profile in now.items():
        if profile_id not in before:
            changes.add(_profile_sentence(profile))
        elif profile != before[profile_id]:
            changes.add(f"The “{profile['title']}” profile now reads: {_profile_sentence(profile)}")
    for profile_id, profile in before.items():
        if profile_id not in now:
            changes.add(f"Nobody may join as “{profile['title']}” any more.")
    if old_clause.get("conditions") != new_clause.get("conditions"):
        changes.add(f"The conditions for joining now read: “{new_clause.get('conditions', '')}”"
                    if new_clause.get("conditions") else "The conditions for joining were removed.")
