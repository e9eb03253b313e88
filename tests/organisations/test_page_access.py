"""The page rules on their own: no database, no Django settings, answers to decide() given."""

from __future__ import annotations

from boroughhub.organisations.page_access import HUB_ADMINISTRATION, DataUse, PageAccess, for_roles
from boroughhub.organisations.roles import Role
from boroughhub.web.navigation import SECTIONS, navigation_for

PURPOSE = "bhp:rough-sleeping-strategic-insight"
FIGURES = DataUse.of("view_aggregate", "metric_values", {"value"}, PURPOSE)
UNROUNDED = DataUse.of("view_unrounded", "metric_values", {"value"}, PURPOSE, asked_by="figures=unrounded")
INSIGHTS = PageAccess(frozenset({Role.ANALYST, Role.DATA_MANAGER}), (FIGURES, UNROUNDED))


class Answers:
    """decide()'s answers for a session, recording every question asked."""

    def __init__(self, *permitted: DataUse) -> None:
        self.permitted = set(permitted)
        self.asked: list[DataUse] = []

    def __call__(self, use: DataUse) -> bool:
        self.asked.append(use)
        return use in self.permitted


def test_a_role_rule_opens_for_its_roles_only_and_says_who_the_page_is_for():
    agreements = for_roles(Role.IG_LEAD, Role.HUB_ADMIN)
    assert agreements.opens_for(Role.IG_LEAD, Answers())
    assert not agreements.opens_for(Role.ANALYST, Answers())
    assert agreements.role_refusal() == "This page is for: Hub admin, Information governance lead."
    assert all(for_roles().role_may_open(role) for role in Role)
    assert HUB_ADMINISTRATION.opens_for(Role.HUB_ADMIN, Answers())
    assert not HUB_ADMINISTRATION.opens_for(Role.DATA_MANAGER, Answers())


def test_a_data_page_opens_when_an_agreement_permits_one_of_its_uses():
    assert INSIGHTS.opens_for(Role.ANALYST, Answers(FIGURES))
    assert INSIGHTS.opens_for(Role.DATA_MANAGER, Answers(UNROUNDED))
    assert not INSIGHTS.opens_for(Role.ANALYST, Answers())


def test_a_role_the_page_is_not_for_never_asks_decide():
    answers = Answers(FIGURES)
    assert not INSIGHTS.opens_for(Role.FRONTLINE_WORKER, answers)
    assert answers.asked == []


def test_the_opening_query_asks_for_the_use_that_is_permitted():
    assert INSIGHTS.opening_query(Role.ANALYST, Answers(FIGURES, UNROUNDED)) == ""
    assert INSIGHTS.opening_query(Role.DATA_MANAGER, Answers(UNROUNDED)) == "figures=unrounded"
    assert INSIGHTS.opening_query(Role.ANALYST, Answers()) is None
    assert for_roles(Role.UPLOADER).opening_query(Role.UPLOADER, Answers()) == ""


def test_the_use_a_request_asks_for_is_named_by_its_query_or_is_the_default():
    assert INSIGHTS.use_asked({"figures": "unrounded", "area": "E12000007"}) == UNROUNDED
    assert INSIGHTS.use_asked({"figures": "published"}) == FIGURES
    assert INSIGHTS.use_asked({}) == FIGURES
    assert not FIGURES.is_asked_by({"figures": "unrounded"})
    assert for_roles(Role.ANALYST).use_asked({}) is None


def test_navigation_lists_exactly_the_sections_that_would_open_in_their_order():
    open_pages = {"web:home": "/home", "insights:london": "/insights/?figures=unrounded",
                  "submissions:list": "/submissions/"}
    items = navigation_for("/insights/pathways", open_pages.get)
    assert [item["text"] for item in items] == ["Home", "Submissions", "Insights"]
    assert [item["href"] for item in items] == ["/home", "/submissions/", "/insights/?figures=unrounded"]
    assert [item["active"] for item in items] == [False, False, True]
    assert navigation_for("/home", lambda name: None) == []
    assert len({section.url_name for section in SECTIONS}) == len(SECTIONS)


def test_home_cards_are_the_role_tasks_whose_pages_open_in_the_home_order():
    from boroughhub.web.home import home_for, open_tasks

    home = home_for(Role.DATA_MANAGER)
    open_pages = {"insights:london": "/insights/?figures=unrounded", "submissions:list": "/submissions/"}
    cards = open_tasks(home, open_pages.get)
    assert [(card.title, card.href) for card in cards] == [
        ("Submissions", "/submissions/"), ("Insights", "/insights/?figures=unrounded")]
    assert open_tasks(home_for(Role.FRONTLINE_WORKER), lambda name: None) == []
