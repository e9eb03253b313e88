"""The apprentice directory shows and searches only what each apprentice shares; career support timing."""

from datetime import date, timedelta

from boroughhub.network.apprentices.career import (
    OpportunityFacts,
    OpportunityKind,
    nearing_end,
    open_in_closing_order,
)
from boroughhub.network.apprentices.directory import (
    ApprenticeProfile,
    DirectorySearch,
    filter_options,
    search_directory,
)

NAMES = {"camden": "Camden", "lambeth": "Lambeth"}


def person(key: str, name: str, borough: str, standard: str, shared: set[str]) -> ApprenticeProfile:
    return ApprenticeProfile(key, name, f"{key}@x.example", borough, standard, 4, "2026 spring", date(2027, 8, 31),
                             "maps", frozenset(shared))


AMARA = person("1", "Amara Khan", "camden", "Data analyst", {"name", "borough", "standard", "cohort"})
BEN = person("2", "Ben Jones", "camden", "Data analyst", {"borough", "cohort"})  # keeps name and standard private
CHLOE = person("3", "Chloe Chen", "lambeth", "Software developer", {"name", "borough", "standard", "email"})


def test_only_shared_fields_are_shown():
    entries = search_directory([AMARA, BEN, CHLOE], DirectorySearch(), NAMES)
    shown = {entry.key: dict(entry.fields) for entry in entries}
    assert shown["1"] == {"Name": "Amara Khan", "Borough": "Camden", "Apprenticeship standard": "Data analyst",
                          "Cohort": "2026 spring"}
    assert "Name" not in shown["2"] and "Apprenticeship standard" not in shown["2"]
    assert shown["3"]["Email"] == "3@x.example" and "Email" not in shown["1"]
    assert [entry.key for entry in entries] == ["1", "3", "2"]  # named first, alphabetically


def test_a_private_field_is_not_searched_either():
    found = search_directory([AMARA, BEN, CHLOE], DirectorySearch(borough="camden", standard="data analyst"), NAMES)
    assert [entry.key for entry in found] == ["1"]  # Ben's hidden standard does not match
    assert [e.key for e in search_directory([AMARA, BEN, CHLOE], DirectorySearch(words="ben"), NAMES)] == []
    assert [e.key for e in search_directory([AMARA, BEN, CHLOE], DirectorySearch(cohort="2026 SPRING"), NAMES)] == ["1", "2"]


def test_filters_offer_only_shared_values():
    assert filter_options([BEN], "standard") == []
    assert filter_options([AMARA, CHLOE], "borough") == ["camden", "lambeth"]


def test_career_support_near_the_end_date_and_open_opportunities_by_closing_date():
    today = date(2026, 12, 7)
    assert nearing_end(today + timedelta(days=45), today)
    assert not nearing_end(today + timedelta(days=300), today)
    opportunities = [OpportunityFacts("a", OpportunityKind.JOB, today + timedelta(days=9)),
                     OpportunityFacts("b", OpportunityKind.VISIT, today),
                     OpportunityFacts("c", OpportunityKind.JOB, today - timedelta(days=1))]
    assert [o.key for o in open_in_closing_order(opportunities, today)] == ["b", "a"]
    assert [o.key for o in open_in_closing_order(opportunities, today, frozenset({OpportunityKind.JOB}))] == ["a"]
