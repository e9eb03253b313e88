"""The validation rules of an accession clause (amendment ``docs/agreements-accession.md`` §A.3).

A profile is signed in advance by every existing party, so it must describe exactly what a joining
organisation may do with this version's own rules: it names the version's permissions (never new
ones), the source datasets it would supply, and a retention statement when it receives data.
Each problem is ``(code, JSON Pointer, message)`` like the rules of ``content_rules``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from boroughhub.agreements.content_rules import Content, Problem, ValidationContext, as_dict, as_list, pointer


def accession_rules(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    clause = c.content.get("accession")
    if clause is None:
        return
    permissions = {p.get("id"): p for p in c.permissions}
    seen: set[str] = set()
    for i, raw in enumerate(as_list(as_dict(clause).get("profiles"))):
        profile = as_dict(raw)

        def at(*parts: str | int, i: int = i) -> str:
            return pointer("content", "accession", "profiles", i, *parts)

        profile_id = str(profile.get("id"))
        if profile_id in seen:
            yield "E-ACCESSION-PROFILE-DUP", at("id"), f"The profile {profile_id} is defined more than once."
        seen.add(profile_id)
        supplies = [str(d) for d in as_list(profile.get("supplies"))]
        for j, dataset_id in enumerate(supplies):
            entry = c.entries.get(dataset_id)
            registered = ctx.datasets.get(dataset_id)
            if entry is None or (registered is not None and registered.kind != "source"):
                yield ("E-ACCESSION-SUPPLIES", at("supplies", j),
                       f"{dataset_id} is not a source dataset of this version, so no one can supply it by accession.")
        if supplies and profile.get("party_role") == "recipient":
            yield ("E-ACCESSION-RECIPIENT-SUPPLIER", at("party_role"),
                   "A recipient supplies no data: make the profile's party role controller, or remove its datasets.")
        yield from _profile_permissions(profile, permissions, set(supplies), at)
        receives = any(a != "upload" for pid in as_list(profile.get("permissions"))
                       for a in as_list(as_dict(permissions.get(pid)).get("actions")))
        if receives and "retention" not in profile:
            yield ("E-ACCESSION-RETENTION", at("retention"),
                   "Add a retention statement: a party joining under this profile receives data (spec §1.4.1).")


def _profile_permissions(profile: dict[str, Any], permissions: dict[Any, dict[str, Any]], supplies: set[str],
                         at: Any) -> Iterator[Problem]:
    for j, pid in enumerate(as_list(profile.get("permissions"))):
        permission = permissions.get(pid)
        if permission is None:
            yield ("E-ACCESSION-PERMISSION", at("permissions", j),
                   f"{pid} is not a permission of this version; a profile can only name the version's own "
                   "permissions (a party that needs more needs a new version).")
            continue
        dataset_id = permission.get("dataset")
        if "upload" in as_list(permission.get("actions")) and dataset_id not in supplies:
            yield ("E-ACCESSION-UPLOAD-SUPPLIER", at("permissions", j),
                   f"{pid} allows uploads of {dataset_id}: add {dataset_id} to the profile's supplied datasets, "
                   "or remove the permission.")
        if permission.get("suppliers") is not None and "upload" in as_list(permission.get("actions")):
            yield ("E-ACCESSION-UPLOAD-SUPPLIER", at("permissions", j),
                   f"{pid} names its suppliers, so a joining organisation could not upload under it.")
