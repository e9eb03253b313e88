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


def visible_areas(organisation_type: str, ons_code: str, available: Iterable[str]) -> list[str]:
    areas = sorted(set(available) - {LONDON}, key=lambda code: AREA_NAMES.get(code, code))
    if organisation_type in ("gla",) or organisation_type == "other":
        return [LONDON, *areas]
    if organisation_type == "borough" and ons_code:
        return [LONDON, ons_code]
    return [LONDON]


def area_name(code: str) -> str:
    return AREA_NAMES.get(code, code)
