"""Sentences for the sharing itself: datasets and their fields, permissions and prohibitions (no Django here).

These are the changes a signatory most needs to see, so each names who gains or loses what, on
which dataset, rather than which field of which rule moved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from boroughhub.agreements.what_changed_base import (
    Changes,
    FieldRule,
    as_list,
    as_mapping,
    by_key,
    compare_fields,
    quoted,
    set_changes,
    value_words,
)
from boroughhub.agreements.wording import (
    ACTION_NOUNS,
    ACTION_WORDS,
    DELETION_WORDS,
    FLOW_METHOD_WORDS,
    RETENTION_START_WORDS,
    ROLE_WORDS,
    SPECIAL_CATEGORY_WORDS,
    Names,
    duration_words,
    join_words,
    london,
    sentence,
)


def who(assignees: Any, names: Names, content: Mapping[str, Any]) -> str:
    """``all parties`` when a rule names every party of the version (or ``*``); otherwise their names."""
    ids = [str(a) for a in as_list(assignees)]
    parties = {str(as_mapping(p).get("org_id")) for p in as_list(content.get("parties"))}
    if "*" in ids or (len(parties) > 1 and parties <= set(ids)):
        return "all parties"
    return join_words(names.organisation(i) for i in ids)


def _actions(actions: Any) -> str:
    return join_words(ACTION_WORDS.get(str(a), str(a)) for a in as_list(actions))


def _roles(roles: Any) -> str:
    return join_words(ROLE_WORDS.get(str(r), str(r)) for r in as_list(roles))


def describe_permission(permission: Mapping[str, Any], names: Names, content: Mapping[str, Any]) -> str:
    """One permission as a sentence: who, in which roles, may do what to which fields, and why."""
    purposes = join_words(names.purpose(p) for p in as_list(permission.get("purposes")))
    text = (f"{sentence(_roles(permission.get('roles')) or 'people')} at {who(permission.get('assignees'), names, content)}"
            f" may {_actions(permission.get('actions'))} {names.dataset(permission.get('dataset'))}"
            f" (field set “{permission.get('field_set', '')}”) for {purposes.lower() or 'no purpose'}.")
    if permission.get("min_cell_size"):
        text += f" Figures below {permission['min_cell_size']} are suppressed."
    return text


def permissions(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "id"), by_key(new, "id")
    for rule_id, rule in news.items():
        if rule_id not in olds:
            changes.add(f"New permission {rule_id}: {describe_permission(rule, names, after)}")
            continue
        _permission_changed(changes, rule_id, olds[rule_id], rule, names, after)
    for rule_id in [k for k in olds if k not in news]:
        changes.add(f"Permission {rule_id} removed; it said: {describe_permission(olds[rule_id], names, after)}")


def _permission_changed(changes: Changes, rule_id: str, old: Mapping[str, Any], new: Mapping[str, Any],
                        names: Names, after: Mapping[str, Any]) -> None:
    dataset = names.dataset(new.get("dataset"))
    whom = who(new.get("assignees"), names, after)
    roles = _roles(new.get("roles"))
    actions = _actions(new.get("actions"))
    ref = f"(permission {rule_id})"

    def threshold(c: Changes, a: Any, b: Any) -> None:
        if a is None:
            c.add(f"Suppression threshold of {b} now applies to {dataset} for {whom} {ref}.")
        elif b is None:
            c.add(f"Suppression threshold of {a} no longer applies to {dataset} for {whom} {ref}.")
        else:
            direction = "raised" if int(b) > int(a) else "lowered"
            c.add(f"Suppression threshold for {dataset} {direction} from {a} to {b} for {whom} {ref}.")

    def window(label: str) -> Callable[[Changes, Any, Any], None]:
        return lambda c, a, b: c.add(
            f"Permission {rule_id} on {dataset} now {label} {london(b)}." if b
            else f"Permission {rule_id} on {dataset} no longer {label} a set time (was {london(a)}).")

    compare_fields(changes, old, new, f"Permission {rule_id}", {
        "min_cell_size": threshold,
        "assignees": lambda c, a, b: set_changes(
            c, a, b, names.organisation, f"{{}} may now {actions} {dataset} as {roles} {ref}.",
            f"{{}} may no longer {actions} {dataset} {ref}."),
        "actions": lambda c, a, b: set_changes(
            c, a, b, lambda x: ACTION_WORDS.get(str(x), str(x)),
            f"{sentence(roles)} at {whom} may now also {{}} {dataset} {ref}.",
            f"{sentence(roles)} at {whom} may no longer {{}} {dataset} {ref}."),
        "roles": lambda c, a, b: set_changes(
            c, a, b, lambda x: ROLE_WORDS.get(str(x), str(x)),
            f"Permission {rule_id} on {dataset} now also lets {{}} at {whom} {actions} it.",
            f"Permission {rule_id} on {dataset} no longer lets {{}} at {whom} {actions} it."),
        "purposes": lambda c, a, b: set_changes(
            c, a, b, names.purpose, f"Permission {rule_id} on {dataset} now also covers the purpose {{}}.",
            f"Permission {rule_id} on {dataset} no longer covers the purpose {{}}."),
        "field_set": lambda c, a, b: c.add(
            f"Permission {rule_id} on {dataset} now covers the field set “{b}” instead of “{a}”."),
        "dataset": lambda c, a, b: c.add(
            f"Permission {rule_id} now applies to {names.dataset(b)} instead of {names.dataset(a)}."),
        "suppliers": lambda c, a, b: c.add(
            f"Permission {rule_id} on {dataset} now covers only rows supplied by "
            f"{join_words(names.organisation(s) for s in as_list(b))}." if b
            else f"Permission {rule_id} on {dataset} now covers rows from every supplier."),
        "valid_from": window("starts at"), "valid_until": window("ends at"),
    })


def prohibitions(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "id"), by_key(new, "id")

    def datasets(ids: Any) -> str:
        values = [str(i) for i in as_list(ids)]
        return "any dataset" if "*" in values else join_words(names.dataset(i) for i in values)

    def forbids(rule: Mapping[str, Any]) -> str:
        text = (f"{who(rule.get('assignees'), names, after)} may not {_actions(rule.get('actions'))} "
                f"{datasets(rule.get('datasets'))}")
        if rule.get("purposes"):
            text += " for " + join_words(names.purpose(p) for p in as_list(rule["purposes"])).lower()
        return text

    for rule_id, rule in news.items():
        if rule_id not in olds:
            changes.add(f"New prohibition {rule_id}: {forbids(rule)}. Reason: {quoted(rule.get('reason'))}.")
            continue
        compare_fields(changes, olds[rule_id], rule, f"Prohibition {rule_id}",
                       _prohibition_rules(f"Prohibition {rule_id}", names))
    for rule_id in [k for k in olds if k not in news]:
        changes.add(f"Prohibition {rule_id} removed; it said {forbids(olds[rule_id])}.")


def _prohibition_rules(ref: str, names: Names) -> dict[str, FieldRule]:
    return {
        "assignees": lambda c, a, b: set_changes(
            c, a, b, lambda x: "all parties" if x == "*" else names.organisation(x),
            f"{ref} now also binds {{}}.", f"{ref} no longer binds {{}}."),
        "datasets": lambda c, a, b: set_changes(
            c, a, b, lambda x: "every dataset" if x == "*" else names.dataset(x),
            f"{ref} now also covers {{}}.", f"{ref} no longer covers {{}}."),
        "actions": lambda c, a, b: set_changes(
            c, a, b, lambda x: ACTION_NOUNS.get(str(x), str(x)),
            f"{ref} now also forbids {{}}.", f"{ref} no longer forbids {{}}."),
        "purposes": lambda c, a, b: c.add(
            f"{ref} now applies only to the purposes {join_words(names.purpose(p) for p in as_list(b))}."
            if b else f"{ref} now applies whatever the purpose."),
        "reason": lambda c, a, b: c.add(f"The reason given for {ref.lower()} now reads: {quoted(b)}."),
    }


def datasets(changes: Changes, old: Any, new: Any, names: Names, after: Mapping[str, Any]) -> None:
    olds, news = by_key(old, "dataset_id"), by_key(new, "dataset_id")
    for dataset_id, entry in news.items():
        title = names.dataset(dataset_id)
        if dataset_id not in olds:
            source = entry.get("suppliers")
            by = join_words(names.organisation(o) for o in as_list(source or entry.get("controllers")))
            changes.add(f"Dataset added: {title}, {'supplied' if source else 'controlled'} by {by}.")
            continue
        _dataset_changed(changes, title, olds[dataset_id], entry, names)
    for dataset_id in [k for k in olds if k not in news]:
        changes.add(f"Dataset removed: {names.dataset(dataset_id)}.")


def _dataset_changed(changes: Changes, title: str, old: Mapping[str, Any], new: Mapping[str, Any],
                     names: Names) -> None:
    compare_fields(changes, old, new, title, {
        "suppliers": lambda c, a, b: set_changes(
            c, a, b, names.organisation, f"{title} is now also supplied by {{}}.",
            f"{title} is no longer supplied by {{}}."),
        "controllers": lambda c, a, b: set_changes(
            c, a, b, names.organisation, f"{title} is now also controlled by {{}}.",
            f"{title} is no longer controlled by {{}}."),
        "derived_from": lambda c, a, b: set_changes(
            c, a, b, names.dataset, f"{title} is now also made from {{}}.", f"{title} is no longer made from {{}}."),
        "flow": lambda c, a, b: compare_fields(c, a, b, f"How {title} is sent:", {
            "method": lambda c2, x, y: c2.add(
                f"{title} is now sent by {FLOW_METHOD_WORDS.get(str(y), value_words(y))} "
                f"instead of {FLOW_METHOD_WORDS.get(str(x), value_words(x))}."),
            "frequency": lambda c2, x, y: c2.add(
                f"{title} is now sent {value_words(y).replace('_', ' ')} instead of {value_words(x).replace('_', ' ')}."),
        }),
        "hub_retention": lambda c, a, b: compare_fields(c, a, b, f"The hub's retention of {title}:", {
            "period": lambda c2, x, y: c2.add(
                f"The hub now keeps {title} for {duration_words(y)} instead of {duration_words(x)}."),
            "from": lambda c2, x, y: c2.add(
                f"The hub's retention of {title} now counts from {RETENTION_START_WORDS.get(str(y), value_words(y))} "
                f"instead of {RETENTION_START_WORDS.get(str(x), value_words(x))}."),
            "deletion": lambda c2, x, y: c2.add(
                f"At the end of its retention, {title} is now {DELETION_WORDS.get(str(y), value_words(y))} "
                f"instead of {DELETION_WORDS.get(str(x), value_words(x))}."),
        }),
        "field_sets": lambda c, a, b: _field_sets(c, title, as_mapping(a), as_mapping(b), new),
        "field_flags": lambda c, a, b: _field_flags(c, title, as_mapping(a), as_mapping(b)),
    })


def _flagged(field: str, entry: Mapping[str, Any]) -> str:
    """``ethnicity (special category: racial or ethnic origin)``: what a signatory must notice about a field."""
    flags = as_mapping(entry.get("field_flags"))
    notes = []
    special = as_mapping(flags.get("special_category")).get(field)
    if special:
        notes.append("special category: " + SPECIAL_CATEGORY_WORDS.get(str(special), str(special)))
    if field in as_list(flags.get("criminal_offence")):
        notes.append("criminal offence data")
    if field in as_list(flags.get("direct_identifiers")):
        notes.append("direct identifier")
    return f"{field} ({'; '.join(notes)})" if notes else field


def _field_sets(changes: Changes, title: str, old: Mapping[str, Any], new: Mapping[str, Any],
                entry: Mapping[str, Any]) -> None:
    for name, members in new.items():
        if name not in old:
            changes.add(f"Field set “{name}” added to {title}: "
                        f"{join_words(_flagged(str(f), entry) for f in as_list(members))}.")
        elif old[name] != members:
            set_changes(changes, old[name], members, lambda f: _flagged(str(f), entry),
                        f"Fields added to the field set “{name}” of {title}: {{}}.",
                        f"Fields removed from the field set “{name}” of {title}: {{}}.")
    for name in [k for k in old if k not in new]:
        changes.add(f"Field set “{name}” removed from {title}.")


def _field_flags(changes: Changes, title: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    before, after = as_mapping(old.get("special_category")), as_mapping(new.get("special_category"))
    for field in dict.fromkeys([*after, *before]):
        a, b = before.get(field), after.get(field)
        if a == b:
            continue
        words = SPECIAL_CATEGORY_WORDS.get(str(b), str(b))
        changes.add(f"In {title}, the field {field} is now marked special category ({words})." if b
                    else f"In {title}, the field {field} is no longer marked special category.")
    set_changes(changes, old.get("criminal_offence"), new.get("criminal_offence"), str,
                f"In {title}, now marked as criminal offence data: {{}}.",
                f"In {title}, no longer marked as criminal offence data: {{}}.")
    set_changes(changes, old.get("direct_identifiers"), new.get("direct_identifiers"), str,
                f"In {title}, now marked as direct identifiers: {{}}.",
                f"In {title}, no longer marked as direct identifiers: {{}}.")
    compare_fields(changes, {k: v for k, v in old.items() if k not in _FLAG_KEYS},
                   {k: v for k, v in new.items() if k not in _FLAG_KEYS}, f"The flags of {title}:", {})


_FLAG_KEYS = ("special_category", "criminal_offence", "direct_identifiers")
