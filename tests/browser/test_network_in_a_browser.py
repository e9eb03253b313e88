"""Issue 21, done when: an organiser creates a Data Week event with 2 places, three people register (the
third on the wait-list), one cancels, the wait-listed person is promoted and told, the .ics downloads; an
apprentice searches the directory and the guidance library finds the generative AI guidance first; every
page visited is axe-clean. The hub has the demo's network (prepare_pilot.py: ``network demo-data``).

The event's date is derived from the moment the test runs (ten days ahead, London time)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
TITLE = "Data Week: open data clinic"
ORGANISER = "event_organiser@camden.example"
PEOPLE = ("apprentice_manager@camden.example", "project_lead@lambeth.example", "security_lead@westminster.example")


def signed_in(browser, hub_url: str, email: str):
    page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, hub_url, email)
    return page


def axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], (where, [(v["id"], v["help"]) for v in violations])


def test_a_data_week_event_fills_waits_and_promotes(browser, page, hub_url, tmp_path: Path):
    day = (datetime.now(LONDON) + timedelta(days=10)).date()
    sign_in(page, hub_url, ORGANISER)
    page.goto(hub_url + "/events/new")
    axe_clean(page, "new event")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What is it about?").fill("Bring a question about London's open data; leave with an answer.")
    page.get_by_label("Open to the public").check()
    page.get_by_label("At a venue").check()
    page.get_by_label("Venue", exact=True).fill("City Hall, Kamal Chunchie Way, London E16 1ZE")
    page.get_by_label("Number of places").fill("2")
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time (London time)").fill("18:00")
    page.get_by_label("End time (London time)").fill("19:30")
    page.get_by_label("Part of a series").select_option(label="London Data Week")
    screenshot(page, "network-01-new-event")
    page.get_by_role("button", name="Create the event").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    event_url = page.url.split("?")[0]
    assert "2 of 2 left" in page.content()
    axe_clean(page, "event page")

    registrants = [signed_in(browser, hub_url, email) for email in PEOPLE]
    for person in registrants:
        person.goto(event_url)
        person.get_by_role("button", name="Register").or_(person.get_by_role("button", name="Join the wait-list")).click()
        person.wait_for_load_state()
    assert "You are registered" in registrants[0].content() and "You are registered" in registrants[1].content()
    assert "You are on the wait-list" in registrants[2].content()
    axe_clean(registrants[2], "on the wait-list")
    screenshot(registrants[2], "network-02-wait-list")

    registrants[0].get_by_role("button", name="Cancel my place").click()
    registrants[0].wait_for_load_state()
    assert "You have given up your place" in registrants[0].content()

    promoted = registrants[2]
    promoted.goto(event_url)
    assert promoted.locator("#your-place").inner_text() == "You are registered."
    promoted.goto(hub_url + "/events/mine")
    assert f"You have a place at {TITLE}" in promoted.locator("#event-messages").inner_text()
    axe_clean(promoted, "your events")
    screenshot(promoted, "network-03-promoted-and-told")

    with page.expect_download() as download:
        page.goto(event_url)
        page.locator("#calendar-file").click()
    calendar = Path(download.value.path()).read_text()
    assert "BEGIN:VCALENDAR" in calendar and TITLE in calendar
    assert f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T180000" in calendar and "BEGIN:VTIMEZONE" in calendar

    page.goto(hub_url + "/events/")
    assert TITLE in page.content()
    axe_clean(page, "events list")
    page.goto(hub_url + "/events/series/london-data-week/")
    assert page.locator("tbody tr").count() >= 20
    screenshot(page, "network-04-data-week")
    for person in registrants:
        person.context.close()


def test_an_apprentice_searches_the_directory_and_the_guidance_library(page, hub_url):
    sign_in(page, hub_url, "apprentice@camden.example")
    page.goto(hub_url + "/apprentices/")
    assert page.locator("#career-support").is_visible()  # the demo's first apprentice ends in 45 days
    axe_clean(page, "apprentice hub")
    screenshot(page, "network-05-apprentice-hub")
    page.goto(hub_url + "/apprentices/directory")
    borough = page.get_by_label("Borough")
    chosen = borough.locator("option").nth(1).inner_text()  # the first borough with apprentices sharing it
    borough.select_option(label=chosen)
    page.get_by_role("button", name="Search the directory").click()
    page.wait_for_load_state()
    entries = page.locator(".bh-directory-entry")
    assert entries.count() >= 1
    for text in entries.all_inner_texts():
        assert chosen in text
    axe_clean(page, "directory")
    screenshot(page, "network-06-directory")

    page.goto(hub_url + "/guidance/")
    page.get_by_label("Search the library").fill("generative AI")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    first = page.locator("#results li h3").first.inner_text()
    assert first == "Generative AI: safe use in council services"
    axe_clean(page, "guidance search")
    screenshot(page, "network-07-guidance-search")
    page.locator("#results li h3 a").first.click()
    page.wait_for_load_state()
    axe_clean(page, "guidance document")
