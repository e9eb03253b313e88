"""A version's content in plain English for the agreement and signing pages (no Django here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

ACTION_WORDS = {
    "upload": "upload", "link": "link records of", "view_aggregate": "view aggregate figures from",
    "view_record": "view individual records of", "view_unrounded": "view unrounded figures from",
    "export": "export",
}
ROLE_WORDS = {"uploader": "uploaders", "analyst": "analysts", "frontline_worker": "frontline workers",
              "data_manager": "data managers"}
PARTY_ROLE_WORDS = {"controller": "Controller", "joint_controller": "Joint controller", "processor": "Processor",
                    "recipient": "Recipient"}
SPECIAL_CATEGORY_WORDS = {
    "racial_or_ethnic_origin": "racial or ethnic origin", "health": "health",
    "sex_life_or_sexual_orientation": "sex life or sexual orientation", "political_opinions": "political opinions",
    "religious_or_philosophical_beliefs": "religious or philosophical beliefs",
    "trade_union_membership": "trade union membership", "genetic": "genetic", "biometric": "biometric",
}


def london(value: datetime | str | None) -> str:
    """``1 April 2026, 00:00 BST``: London time with its zone (spec §7.4 Z3)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def utc(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def join_words(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_permission(permission: Mapping[str, Any], names: Mapping[str, str], purposes: Mapping[str, str],
                        dataset_titles: Mapping[str, str]) -> str:
    who = join_words([names.get(a, a) for a in permission.get("assignees", [])])
    roles = join_words([ROLE_WORDS.get(r, r) for r in permission.get("roles", [])])
    actions = join_words([ACTION_WORDS.get(a, a) for a in permission.get("actions", [])])
    dataset = dataset_titles.get(permission.get("dataset", ""), permission.get("dataset", ""))
    why = join_words([purposes.get(p, p) for p in permission.get("purposes", [])])
    text = (f"{roles.capitalize()} at {who} may {actions} {dataset} "
            f"(fields: {permission.get('field_set', '')}) for {why.lower() if why else 'no purpose'}.")
    if permission.get("min_cell_size"):
        text += f" Figures below {permission['min_cell_size']} are suppressed."
    return text


def describe_datasets(content: Mapping[str, Any], dataset_titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each dataset with its field sets, and which fields are special category, criminal or direct ids."""
    out = []
    for entry in content.get("datasets", []) or []:
        if not isinstance(entry, Mapping):
            continue
        flags = entry.get("field_flags", {}) or {}
        special = flags.get("special_category", {}) or {}
        criminal = set(flags.get("criminal_offence", []) or [])
        direct = set(flags.get("direct_identifiers", []) or [])
        sets = []
        for name, members in (entry.get("field_sets", {}) or {}).items():
            fields = []
            for field in members:
                notes = []
                if field in special:
                    notes.append("special category: " + SPECIAL_CATEGORY_WORDS.get(special[field], special[field]))
                if field in criminal:
                    notes.append("criminal offence data")
                if field in direct:
                    notes.append("direct identifier")
                fields.append({"name": field, "notes": "; ".join(notes)})
            sets.append({"name": name, "fields": fields,
                         "flagged": sum(1 for f in fields if f["notes"])})
        out.append({"id": entry.get("dataset_id", ""), "title": dataset_titles.get(entry.get("dataset_id", ""), ""),
                    "suppliers": entry.get("suppliers") or entry.get("controllers") or [], "field_sets": sets})
    return out


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """JSON Pointer → leaf value, for comparing two versions."""
    if isinstance(value, Mapping):
        if not value:
            return {prefix or "/": {}}
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}/{str(key).replace('~', '~0').replace('/', '~1')}"))
        return out
    if isinstance(value, list):
        if not value:
            return {prefix or "/": []}
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}/{index}"))
        return out
    return {prefix or "/": value}


def content_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every path whose value differs, was added or was removed, in path order."""
    old, new = flatten(before, "/content"), flatten(after, "/content")
    changes = []
    for path in sorted(set(old) | set(new)):
        if path not in old:
            changes.append({"path": path, "change": "added", "before": "", "after": new[path]})
        elif path not in new:
            changes.append({"path": path, "change": "removed", "before": old[path], "after": ""})
        elif old[path] != new[path]:
            changes.append({"path": path, "change": "changed", "before": old[path], "after": new[path]})
    return changes
