"""Issue 17: a Lambeth adult social care worker sees who else is involved with a resident on their open case;
a resident with no relationship opens only with break-glass, which Lambeth's and Westminster's privacy officers
see; the resident's access history lists each step. axe-core finds nothing serious on any page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
WORKER = "frontline_worker@lambeth.example"
PURPOSE = "Care Act review of support plan"


def assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def search(page, hub_url: str, surname: str, dob: tuple[str, str, str] | None = None) -> None:
    page.goto(f"{hub_url}/residents/")
    page.fill("#surname", surname)
    if dob:
        page.fill("#dob_day", dob[0])
        page.fill("#dob_month", dob[1])
        page.fill("#dob_year", dob[2])
    page.fill("#purpose", PURPOSE)
    page.click("button:has-text('Search')")


def test_who_else_is_involved(page, hub_url: str) -> None:
    sign_in(page, hub_url, WORKER)
    page.goto(f"{hub_url}/home")
    assert_accessible(page)
    page.click("a:has-text('Find a resident')")
    assert_accessible(page)
    screenshot(page, "residents-01-search")

    search(page, hub_url, "Okafor", ("14", "6", "1961"))
    assert page.locator("h2#results").inner_text().startswith("1 resident")
    assert_accessible(page)
    screenshot(page, "residents-02-results")
    page.click("a:has-text('OKAFOR, Amara')")
    services = page.locator("table").inner_text()
    assert "Westminster" in services and "Rough sleeping outreach (CHAIN)" in services
    assert "No record found in the sources shared with the hub" in services
    assert_accessible(page)
    screenshot(page, "residents-03-services")

    page.locator("tr", has_text="Housing").locator("a").first.click()
    detail = page.locator("main").inner_text()
    assert "Daniel Reyes" in detail and "020 7641 3001" in detail
    assert_accessible(page)
    screenshot(page, "residents-04-contact")
    page.click("a.govuk-back-link")
    page.click("a:has-text('View known addresses')")
    assert "Harrow Road" in page.locator("main").inner_text()
    assert_accessible(page)

    # Peter Lindqvist is known only to Westminster housing: no relationship, so only break-glass is offered.
    search(page, hub_url, "Lindqvist")
    main = page.locator("main").inner_text()
    assert "0 residents you may open" in main and "LINDQVIST" not in main
    page.click("a:has-text('use break-glass')")
    assert_accessible(page)
    page.fill("#surname", "Lindqvist")
    page.fill("#dob_day", "3")
    page.fill("#dob_month", "2")
    page.fill("#dob_year", "1949")
    page.fill("#purpose", "Safeguarding concern raised by police")
    page.fill("#reason", "Police welfare check: resident found unwell, his carer is unknown to us")
    screenshot(page, "residents-05-break-glass")
    page.click("button:has-text('Open with break-glass')")
    assert page.locator("h1").inner_text() == "LINDQVIST, Peter"
    page.context.clear_cookies()

    for org in ("lambeth", "westminster"):
        sign_in(page, hub_url, f"privacy_officer@{org}.example")
        page.goto(f"{hub_url}/residents/oversight/alerts")
        assert "To review" in page.locator("table").inner_text()
        assert_accessible(page)
        if org == "westminster":
            screenshot(page, "residents-06-alerts")
        page.locator("table a").first.click()
        assert "Police welfare check" in page.locator("main").inner_text()
        assert_accessible(page)
        page.check("#outcome")
        page.click("button:has-text('Close the alert')")
        assert "Closed" in page.locator("table").inner_text()
        page.context.clear_cookies()

    sign_in(page, hub_url, "privacy_officer@westminster.example")
    page.goto(f"{hub_url}/residents/oversight/history")
    page.fill("#surname", "Okafor")
    page.fill("#dob_day", "14")
    page.fill("#dob_month", "6")
    page.fill("#dob_year", "1961")
    page.fill("#purpose", "SAR 2026-118")
    page.click("button:has-text('Show the history')")
    history = page.locator("main").inner_text()
    for step in ("Searched and saw results", "Viewed which services are involved",
                 "Viewed a service's involvement and contact", "Viewed known addresses"):
        assert step in history
    assert WORKER not in history
    assert_accessible(page)
    screenshot(page, "residents-07-history")
    page.goto(f"{hub_url}/residents/oversight/spot-checks")
    assert_accessible(page)
