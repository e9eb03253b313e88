"""Usual residents by local authority (ONS, Census 2021), for rates per 10,000 residents.

The figures are a code list shipped with the hub (``reference/data/population.csv``), with their source and
vintage in each row, so a rate on a page can always say which population it divides by. Areas without
residents (Heathrow, buses, the Underground) have no rate.
"""

from __future__ import annotations

from boroughhub.reference import code_list

PER = 10_000


def residents() -> dict[str, int]:
    return {row["code"]: int(row["usual_residents"]) for row in code_list("population")}


def population_source() -> str:
    """One line naming the population the rates divide by, for notes and page footers."""
    row = code_list("population")[0]
    return f"Rates per 10,000 usual residents: {row['vintage']}; {row['source']}."


def rate_per_10000(count: float, area_code: str) -> float | None:
    population = residents().get(area_code)
    if not population:
        return None
    return count / population * PER
