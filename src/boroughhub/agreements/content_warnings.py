"""The warnings of spec §7.1 about how a version sits beside its template and other agreements.

``W-UNUSED-FIELD-SET``, ``W-CROSS-PROHIBITION`` and ``W-DEVIATES-FROM-TEMPLATE``. Warnings do not
block a save; at submission (T3) each must be acknowledged by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from boroughhub.agreements.content_rules import (
    Content,
    Problem,
    Rule,
    ValidationContext,
    as_dict,
    as_list,
    join_names,
    pointer,
)


def unused_field_sets(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    """Warning ``W-UNUSED-FIELD-SET``."""
    used = c.used_field_sets()
    for i, entry in enumerate(c.datasets):
        for name in as_dict(entry.get("field_sets")):
            if (entry.get("dataset_id"), name) not in used:
                yield ("W-UNUSED-FIELD-SET", pointer("content", "datasets", i, "field_sets", name),
                       f"No permission uses the field set {name}.")


def cross_prohibitions(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    """Warning ``W-CROSS-PROHIBITION``: prohibitions bind across agreements (spec §3.5), so a
    prohibition in another active or suspended agreement that an assignee signed would deny
    this permission whatever it says."""
    agreement_id = c.document.get("agreement_id")
    binding = [
        (v, x) for v in ctx.other_versions
        if v.agreement_id != agreement_id and v.status in ("active", "suspended") for x in v.prohibitions
    ]
    for i, permission in enumerate(c.permissions):
        purposes = set(as_list(permission.get("purposes")))
        for v, x in binding:
            hits = sorted(
                f"{org} {action}" for org in as_list(permission.get("assignees")) if org in v.parties
                for action in as_list(permission.get("actions"))
                if ("*" in x.assignees or org in x.assignees)
                and ("*" in x.datasets or permission.get("dataset") in x.datasets)
                and action in x.actions and (not x.purposes or purposes & x.purposes)
            )
            if hits:
                yield ("W-CROSS-PROHIBITION", pointer("content", "permissions", i),
                       f"{x.id} in {v.agreement_id} version {v.version} would deny {join_names(hits)} "
                       f"on {permission.get('dataset')}.")


def template_deviations(c: Content, ctx: ValidationContext) -> Iterator[Problem]:
    """Warning ``W-DEVIATES-FROM-TEMPLATE``, one per prefilled section that was changed, so the
    signing screen can list every difference from the template (spec §1.3)."""
    for key, default in (ctx.template_defaults or {}).items():
        if key in c.content and c.content[key] != default:
            yield ("W-DEVIATES-FROM-TEMPLATE", pointer("content", key),
                   f"{key.replace('_', ' ').capitalize()} differs from the template.")


SHARING_WARNINGS: tuple[Rule, ...] = (unused_field_sets, cross_prohibitions, template_deviations)
