"""The apprentice directory: members search by borough, apprenticeship standard and cohort, and see only
the fields each apprentice chose to share.

A field an apprentice keeps private is not only hidden but also not searched: otherwise a search for
"Level 4 data analyst in Camden" would reveal the hidden standard of everyone it returns (docs/decisions/0143-apprentice-directory-and-the-network-section.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

#: The fields an apprentice may share, in the order the directory shows them, with what they are called.
SHAREABLE_FIELDS: dict[str, str] = {
    "name": "Name",
    "email": "Email",
    "borough": "Borough",
    "standard": "Apprenticeship standard",
    "level": "Level",
    "cohort": "Cohort",
    "end_date": "End date",
    "interests": "Interests",
}
#: Shared unless the apprentice says otherwise (what the join form ticks to start with).
SHARED_BY_DEFAULT = frozenset({"name", "borough", "standard", "level", "cohort"})


@dataclass(frozen=True)
class ApprenticeProfile:
    key: str
    name: str
    email: str
    borough: str
    standard: str
    level: int
    cohort: str
    end_date: date
    interests: str
    shared: frozenset[str]


@dataclass(frozen=True)
class DirectoryEntry:
    """What the directory shows of one apprentice: (label, value) pairs of the shared fields only."""

    key: str
    fields: tuple[tuple[str, str], ...]

    def value(self, label: str) -> str:
        return next((value for name, value in self.fields if name == label), "")


@dataclass(frozen=True)
class DirectorySearch:
    borough: str = ""
    standard: str = ""
    cohort: str = ""
    words: str = ""
    asked: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        return not (self.borough or self.standard or self.cohort or self.words)


def _shared_value(profile: ApprenticeProfile, name: str) -> str:
    if name not in profile.shared:
        return ""
    value = getattr(profile, name)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def matches(profile: ApprenticeProfile, search: DirectorySearch) -> bool:
    """Whether a profile answers a search, looking only at fields it shares."""
    for name, wanted in (("borough", search.borough), ("standard", search.standard), ("cohort", search.cohort)):
        if wanted and _shared_value(profile, name).casefold() != wanted.casefold():
            return False
    if search.words:
        shared_text = " ".join(_shared_value(profile, name) for name in SHAREABLE_FIELDS).casefold()
        if not all(word in shared_text for word in search.words.casefold().split()):
            return False
    return True


def entry_of(profile: ApprenticeProfile, borough_names: dict[str, str]) -> DirectoryEntry:
    shown = []
    for name, label in SHAREABLE_FIELDS.items():
        value = _shared_value(profile, name)
        if name == "borough":
            value = borough_names.get(value, value)
        if name == "level" and value:
            value = f"Level {value}"
        if value:
            shown.append((label, value))
    return DirectoryEntry(profile.key, tuple(shown))


def search_directory(profiles: Iterable[ApprenticeProfile], search: DirectorySearch,
                     borough_names: dict[str, str]) -> list[DirectoryEntry]:
    """The entries answering a search, those sharing a name first (alphabetically), then the others."""
    found = [profile for profile in profiles if matches(profile, search)]
    found.sort(key=lambda p: ("name" not in p.shared, p.name.casefold() if "name" in p.shared else p.key))
    return [entry_of(profile, borough_names) for profile in found]


def filter_options(profiles: Sequence[ApprenticeProfile], name: str) -> list[str]:
    """The values a filter offers: those shared by at least one apprentice (never a hidden one)."""
    return sorted({_shared_value(profile, name) for profile in profiles} - {""})
