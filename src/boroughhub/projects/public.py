"""What a project's public page may show: only the fields its lead has marked public.

The title is the page's heading and always shown once a project is published; everything else is
shown only when marked. Names of people (owners, who moved a stage) are never publishable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PUBLISHABLE_FIELDS = {
    "outcome_statement": "Outcome statement",
    "problem": "Problem",
    "stage": "Stage",
    "organisations": "Lead and partner organisations",
    "themes": "Themes",
    "dates": "Dates",
    "funding": "Funding",
    "indicators": "Outcome indicators",
}


def public_view(fields: Mapping[str, object], marked_public: Iterable[str]) -> dict[str, object]:
    """The fields of ``fields`` that are both publishable and marked public, in the publishable order."""
    marked = set(marked_public)
    return {name: fields[name] for name in PUBLISHABLE_FIELDS if name in marked and name in fields}


def unknown_public_fields(marked_public: Iterable[str]) -> list[str]:
    return sorted(set(marked_public) - set(PUBLISHABLE_FIELDS))
