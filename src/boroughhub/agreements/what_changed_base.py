"""The comparing that every section of ``what_changed`` shares, and the fallback wording (no Django here).

The fallback is what keeps the promise that no difference is dropped: a field without its own
sentence is named by its words (``record accesses per month``, ``item 2``), never by a JSON Pointer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from boroughhub.agreements.wording import code_words, join_words, sentence

FieldRule = Callable[["Changes", Any, Any], None]


class Changes:
    """The sentences collected for one section, each once, in the order they were found."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def add(self, text: str) -> None:
        text = sentence(text)  # a sentence may open with a name or a code's words
        if text not in self.sentences:
            self.sentences.append(text)


def as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _identity(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)


def by_key(items: Any, key: str) -> dict[str, Mapping[str, Any]]:
    """Items of a list of objects by their identity field; an item without one is its own identity."""
    out: dict[str, Mapping[str, Any]] = {}
    for item in as_list(items):
        mapping = as_mapping(item)
        identity = mapping.get(key)
        out[str(identity) if identity is not None else _identity(item)] = mapping
    return out


def quoted(value: Any) -> str:
    return f"“{value}”" if value not in (None, "") else "nothing"


def value_words(value: Any) -> str:
    """A value in a sentence: text as written, yes/no, lists joined, objects as ``name: value`` pairs."""
    if value is None or value == "" or value == [] or value == {}:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return "; ".join(f"{code_words(k)}: {value_words(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return join_words(value_words(v) for v in value)
    return str(value)


def set_changes(changes: Changes, before: Any, after: Any, render: Callable[[Any], str], added: str, removed: str,
                *, each: bool = False) -> None:
    """Members added to and removed from a set-valued list; ``added``/``removed`` hold one ``{}``.

    With ``each``, one sentence per member (lawful bases read better one by one); otherwise one
    sentence names them all. Order means nothing in a set (the hash stores sets sorted, spec §2.3),
    so a set that was only reordered says nothing.
    """
    old = [render(v) for v in as_list(before)]
    new = [render(v) for v in as_list(after)]
    gained = [v for v in new if v not in old]
    lost = [v for v in old if v not in new]
    for template, members in ((added, gained), (removed, lost)):
        if not members:
            continue
        if each:
            for member in members:
                changes.add(template.format(member))
        else:
            changes.add(template.format(join_words(members)))


def compare_fields(changes: Changes, before: Any, after: Any, label: str, rules: Mapping[str, FieldRule]) -> None:
    """Each field that differs goes to its rule; a field without one gets the fallback sentence."""
    old, new = as_mapping(before), as_mapping(after)
    for key in dict.fromkeys([*new, *old]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        rule = rules.get(key)
        if rule is not None:
            rule(changes, a, b)
        else:
            compare_generic(changes, f"{label} {code_words(key)}", a, b)


def _scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def compare_generic(changes: Changes, label: str, before: Any, after: Any) -> None:
    """The fallback: a readable sentence for any difference, built from the field's own name."""
    if before == after:
        return
    if before is None:
        changes.add(f"{label} added: {value_words(after)}.")
    elif after is None:
        changes.add(f"{label} removed (was {value_words(before)}).")
    elif isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in dict.fromkeys([*after, *before]):
            compare_generic(changes, f"{label}, {code_words(key)}", before.get(key), after.get(key))
    elif isinstance(before, list | tuple) and isinstance(after, list | tuple):
        _compare_lists(changes, label, list(before), list(after))
    else:
        changes.add(f"{label} changed from {value_words(before)} to {value_words(after)}.")


def _compare_lists(changes: Changes, label: str, before: list[Any], after: list[Any]) -> None:
    if all(_scalar(v) for v in [*before, *after]):
        set_changes(changes, before, after, value_words, f"{label}: {{}} added.", f"{label}: {{}} removed.")
        return
    if len(before) == len(after):
        for index, (a, b) in enumerate(zip(before, after, strict=True), start=1):
            compare_generic(changes, f"{label}, item {index}", a, b)
        return
    old = {_identity(v): v for v in before}
    new = {_identity(v): v for v in after}
    for key in [k for k in new if k not in old]:
        changes.add(f"{label}: item added ({value_words(new[key])}).")
    for key in [k for k in old if k not in new]:
        changes.add(f"{label}: item removed ({value_words(old[key])}).")
