"""A person as one source records them, and how the hub names the resident a cluster of them makes.

Sources know people under their own local ids (an ASC system's person id, an H-CLIC case, a CHAIN
person); which of them are the same resident is found by matching (``store.matching``, decision 0102).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: Whose spelling names the resident when a cluster's records differ: the statutory sources first.
SOURCE_ORDER = ("asc_cld", "hclic", "inform", "chain")
#: Merge only pairs the model is this sure of; pairs between the linkage threshold and this are held apart.
MERGE_PROBABILITY = 0.9


@dataclass(frozen=True, slots=True)
class RecordedPerson:
    source: str
    supplier: str
    local_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    postcode: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}:{self.supplier}:{self.local_id}"


def resident_id_for(first_key: str) -> str:
    """A new resident's id, from the smallest key of the records that founded it: stable across identical
    loads, and saying nothing about the person."""
    return "R-" + hashlib.sha256(first_key.encode("utf-8")).hexdigest()[:12].upper()


def naming_record(records: Iterable[RecordedPerson]) -> RecordedPerson | None:
    """The record a new resident's name and date of birth come from: one with a date of birth (the age rule
    needs it), from the first source of ``SOURCE_ORDER``; None when no record has a date of birth."""
    dated = [r for r in records if r.date_of_birth is not None]
    rank = {source: n for n, source in enumerate(SOURCE_ORDER)}
    return min(dated, key=lambda r: (rank.get(r.source, len(rank)), r.key), default=None)
