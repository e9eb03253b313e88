"""Review dates and what changed between two versions of a guidance document."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


def is_stale(review_on: date, today: date) -> bool:
    """Past its review date: flagged to its owner until a new version or a new review date is saved."""
    return review_on < today


class LineChange(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class ChangedLine:
    change: LineChange
    text: str


@dataclass(frozen=True)
class VersionChanges:
    lines: tuple[ChangedLine, ...]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.change is LineChange.ADDED)

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.change is LineChange.REMOVED)

    def sentence(self) -> str:
        if not self.added and not self.removed:
            return "The text did not change."
        return f"{_count(self.added, 'line')} added, {_count(self.removed, 'line')} removed."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def changes_between(older: str, newer: str, context: int = 2) -> VersionChanges:
    """Line by line, with ``context`` unchanged lines around each change (the rest left out)."""
    lines: list[ChangedLine] = []
    old_lines, new_lines = older.splitlines(), newer.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(ChangedLine(LineChange.SAME, text) for text in old_lines[i1:i2])
                continue
            lines.extend(ChangedLine(LineChange.REMOVED, text) for text in old_lines[i1:i2])
            lines.extend(ChangedLine(LineChange.ADDED, text) for text in new_lines[j1:j2])
    return VersionChanges(tuple(lines))
