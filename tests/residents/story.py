"""The demo's named residents by their hub id, which matching gives them (not the generator's truth id)."""

from __future__ import annotations

from boroughhub.synthetic import STORY_RESIDENTS


def story_id(first_name: str) -> str:
    from boroughhub.residents.models import Resident

    person = next(p for p in STORY_RESIDENTS if p.first_name == first_name)
    return Resident.objects.get(first_name=person.first_name, last_name=person.last_name,
                                date_of_birth=person.date_of_birth).resident_id
