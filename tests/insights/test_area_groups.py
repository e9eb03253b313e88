"""The area switcher's groups: every London area CHAIN reports, described and in order (no database)."""

from __future__ import annotations

from boroughhub.insights.audience import AREA_NAMES, area_description, area_groups
from boroughhub.insights.params import LONDON
from boroughhub.reference import code_list


def test_all_london_areas_are_grouped_and_described():
    every = [row["code"] for row in code_list("areas")]
    groups = area_groups(reversed(every))
    headings = [heading for heading, _ in groups]
    assert headings == ["London-wide", "Local authorities: the 32 London boroughs and the City of London",
                        "Places CHAIN reports on their own"]
    london, authorities, places = (members for _, members in groups)
    assert london == [(LONDON, "London (every area)")]
    assert len(authorities) == 33
    names = [AREA_NAMES[code] for code, _ in authorities]
    assert names == sorted(names) and names[0] == "Barking and Dagenham"
    assert ("E09000001", "City of London (a local authority, not a borough)") in authorities
    assert ("heathrow", "Heathrow Airport (CHAIN counts it apart from Hillingdon)") in places
    assert [code for code, _ in places] == ["heathrow", "london_buses", "london_underground"]
    assert all(text for _, members in groups for _, text in members)


def test_an_unknown_code_is_listed_last_as_itself_and_empty_groups_are_left_out():
    groups = area_groups([LONDON, "E09000007", "X99"])
    assert groups == [("London-wide", [(LONDON, "London (every area)")]),
                      ("Local authorities: the 32 London boroughs and the City of London", [("E09000007", "Camden")]),
                      ("Other areas", [("X99", "X99")])]
    assert area_description("E09000033") == "Westminster"
