"""Issue 18, done when: a Hackney officer applies to the adult social care round with Southwark as partner;
two assessors score (one declares a conflict on another application); the panel moderates; the selection
funds within £200k; the award becomes a project at "develop"; its lead records an update; the project
cannot reach "deliver" until its enablers are assessed; the 360Giving export validates. Axe-clean pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from boroughhub.fund.giving360 import schema
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

ROUND = "Adult social care innovation fund 2027"
CRITERIA = ("A clear outcome for residents", "Evidence of need", "Feasibility of the pilot",
            "Hidden enablers considered", "Value for money")
ENABLERS = ("Information governance", "Procurement", "Skills", "Culture", "Data", "Ethics")


def person(browser: Any, hub_url: str, email: str) -> Any:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, hub_url, email)
    return page


def click(page: Any, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state()


def apply(page: Any, hub_url: str, title: str, partner: str, amounts: tuple[str, str], shots: str = "") -> None:
    page.goto(hub_url + "/fund/")
    click(page, "link", ROUND)
    click(page, "button", "Start an application")
    page.get_by_label("Outcome statement").fill(f"{title}: older residents keep their independence at home.")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Problem").fill("Residents leaving hospital too often go straight into residential care.")
    page.get_by_label("Idea: the pilot you propose").fill("A joint reablement team shared by the two boroughs.")
    page.get_by_label("Partner boroughs", exact=False).select_option(label=partner)
    page.get_by_label("Yes").check()
    page.get_by_label("Information governance").fill("Joint DPIA with both IG leads.")
    page.get_by_label("Line 1: what it is for").fill("Reablement workers")
    page.get_by_label("Line 1: amount (£)").fill(amounts[0])
    page.get_by_label("Line 2: what it is for").fill("Sensors and tablets")
    page.get_by_label("Line 2: amount (£)").fill(amounts[1])
    if shots:
        assert axe_violations(page) == []
        screenshot(page, f"{shots}-application-form")
    click(page, "button", "Save as draft")
    click(page, "button", "Submit the application")
    assert "Submitted" in page.locator("main").inner_text()


def score(page: Any, hub_url: str, reference: str, value: str) -> None:
    page.goto(hub_url + "/fund/")
    click(page, "link", ROUND)
    click(page, "link", f"Assess {reference}")
    for criterion in CRITERIA:
        page.get_by_label(f"{criterion}: score from 0 to 5").fill(value)
        page.get_by_label(f"{criterion}: justification").fill(f"Scored {value}: judged against the guidance.")
    click(page, "button", "Submit my scores")


def test_a_round_from_application_to_pilot_project(browser: Any, hub_url: str, tmp_path: Path) -> None:
    hackney = person(browser, hub_url, "project_lead@hackney.example")
    apply(hackney, hub_url, "Reablement at home", "London Borough of Southwark", ("60000", "15000"), shots="fund-01")
    hackney_url = hackney.url
    lambeth = person(browser, hub_url, "project_lead@lambeth.example")
    apply(lambeth, hub_url, "Community connectors", "London Borough of Lewisham", ("40000", "5000"))

    first = person(browser, hub_url, "fund_assessor@hub.example")
    first.goto(hub_url + "/fund/")
    click(first, "link", ROUND)
    round_text = first.locator("main").inner_text()
    ours, theirs = ("APP-0001", "APP-0002") if "APP-0001 Reablement" in round_text else ("APP-0002", "APP-0001")
    click(first, "link", f"Assess {theirs}")
    first.get_by_text("Declare a conflict of interest").click()
    first.get_by_label("What is the conflict?").fill("I used to manage the Lambeth team that proposes it.")
    click(first, "button", "Declare the conflict")
    assert "you do not score it" in first.locator("main").inner_text()
    score(first, hub_url, ours, "4")
    assert axe_violations(first) == []
    screenshot(first, "fund-02-assessment")

    second = person(browser, hub_url, "fund_assessor.2@hub.example")
    second.goto(hub_url + "/fund/")
    click(second, "link", ROUND)
    click(second, "link", f"Assess {ours}")
    assert "Shown once you have submitted your own scores" in second.locator("main").inner_text()
    score(second, hub_url, ours, "2")
    assert "Scored 4" in second.locator("main").inner_text()  # the others' scores, now that its own are in
    score(second, hub_url, theirs, "1")

    panel = person(browser, hub_url, "programme_manager@hub.example")
    for reference, agreed in ((ours, "4"), (theirs, "1")):
        panel.goto(hub_url + "/fund/")
        click(panel, "link", ROUND)
        click(panel, "link", f"Moderate {reference}")
        if reference == ours:
            assert "2: discuss" in panel.locator("main").inner_text()
            assert axe_violations(panel) == []
            screenshot(panel, "fund-03-moderation")
        for criterion in CRITERIA:
            panel.get_by_label(f"{criterion}: agreed score (0 to 5)").fill(agreed)
        panel.get_by_label("The panel's reason").fill("Agreed after discussing the assessors' spread.")
        click(panel, "button", "Agree the moderated score")
    panel.goto(hub_url + "/fund/")
    click(panel, "link", ROUND)
    click(panel, "button", "Close the round now")
    click(panel, "link", "Selection and decisions")
    click(panel, "button", "Record the decisions")
    selection = panel.locator("main").inner_text()
    assert "£75,000 of £200,000 funded" in selection and "Not funded" in selection
    assert axe_violations(panel) == []
    screenshot(panel, "fund-04-selection")
    with panel.expect_download() as download:
        panel.get_by_role("link", name="Awarded grants, 360Giving JSON").click()
    data = json.loads(Path(download.value.path()).read_text())
    jsonschema.validate(data, schema(), cls=jsonschema.Draft4Validator)
    assert [g["recipientOrganization"][0]["name"] for g in data["grants"]] == ["London Borough of Hackney"]

    hackney.goto(hackney_url)
    assert "Funded" in hackney.locator("main").inner_text()
    click(hackney, "link", "The pilot project")
    assert "Develop" in hackney.locator("main").inner_text()
    hackney.get_by_label("What has happened since the last update?").fill("Team recruited; first referrals.")
    click(hackney, "button", "Post the update")
    assert "Team recruited; first referrals." in hackney.locator("main").inner_text()
    hackney.get_by_label("Deliver").check()
    click(hackney, "button", "Move")
    assert "assess each hidden enabler" in hackney.locator(".govuk-error-summary").inner_text()
    for enabler in ENABLERS:
        hackney.get_by_text(f"Assess {enabler.lower()}").click()
        key = {"Information governance": "ig"}.get(enabler, enabler.lower())
        hackney.locator(f"#enabler-{key} input[value=amber]").check()
        hackney.get_by_label(f"{enabler}: note").fill("Assessed with Southwark's lead.")
        hackney.get_by_label(f"{enabler}: owner").fill("Reablement programme lead")
        click(hackney, "button", f"Save {enabler.lower()}")
    hackney.get_by_label("Deliver").check()
    click(hackney, "button", "Move")
    main = hackney.locator("main").inner_text()
    assert "Develop to Deliver" in main
    assert axe_violations(hackney) == []
    screenshot(hackney, "projects-01-pilot-project")

    hackney.goto(hub_url + "/projects/?view=borough")
    assert "Reablement at home" in hackney.locator("main").inner_text()
    assert axe_violations(hackney) == []
    screenshot(hackney, "projects-02-portfolio")
