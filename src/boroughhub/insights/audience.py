"""Which areas an organisation's users may see on the insights pages.

The issue's rule: a borough's users see their own borough and London; the GLA sees every area; the hub
operator (quality assurance) sees every area; anyone else (providers, police) sees London only. The
agreement check (``decide(view_aggregate)``) still decides whether they see anything at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from boroughhub.insights.params import LONDON
from boroughhub.reference import code_list

AREA_NAMES = {row["code"]: row["label"] for row in code_list("areas")}
AREA_TYPES = {row["code"]: row["area_type"] for row in code_list("areas")}

#: How an area is described where it is chosen: what it is, not only its name (issue 14, item 7).
AREA_DESCRIPTIONS = {
    LONDON: "London (every area)",
    "E09000001": "City of London (a local authority, not a borough)",
    "heathrow": "Heathrow Airport (CHAIN counts it apart from Hillingdon)",
    "london_buses": "London buses (people seen bedded down on buses)",
    "london_underground": "London Underground (people seen bedded down on the Underground)",
}
#: The headings areas are grouped under, in order, by their ``area_type`` in reference/areas.csv.
AREA_GROUPS = (
    ("region", "London-wide"),
    ("local_authority", "Local authorities: the 32 London boroughs and the City of London"),
    ("pseudo_area", "Places CHAIN reports on their own"),
)


def visible_areas(organisation_type: str, ons_code: str, available: Iterable[str]) -> list[str]:
    areas = sorted(set(available) - {LONDON}, key=lambda code: AREA_NAMES.get(code, code))
    if organisation_type in ("gla",) or organisation_type == "other":
        return [LONDON, *areas]
    if organisation_type == "borough" and ons_code:
        return [LONDON, ons_code]
    return [LONDON]


def area_name(code: str) -> str:
    return AREA_NAMES.get(code, code)


def area_description(code: str) -> str:
    return AREA_DESCRIPTIONS.get(code, area_name(code))


def area_groups(areas: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """``areas`` under their headings, each as ``(code, description)``, by name within a group; an area
    the code list does not know (it would be a data error) is listed last, under "Other areas", by code."""
    chosen = list(areas)
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for area_type, heading in AREA_GROUPS:
        members = sorted((c for c in chosen if AREA_TYPES.get(c) == area_type), key=lambda c: area_name(c).casefold())
        if members:
            groups.append((heading, [(c, area_description(c)) for c in members]))
    others = sorted(c for c in chosen if c not in AREA_TYPES)
    if others:
        groups.append(("Other areas", [(c, c) for c in others]))
    return groups
