"""Issue 19: a hub in Lewisham registers a resident, issues a SIM code and allocates a wiped laptop;
allocating an unwiped laptop is refused; the monthly report shows both under Lewisham; the public list
of hubs needs no sign-in. Every page axe-clean. (The hub is set up by ``getonline demo --lewisham-only``.)"""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

WORKER = "inclusion_worker@lewisham-digital-hub.example"


def test_a_lewisham_hub_helps_a_resident_and_the_report_counts_it(hub_url, page):
    page.goto(hub_url + "/get-online/?borough=E09000023")
    assert "Lewisham Digital Hub" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "getonline-01-public-hubs")

    sign_in(page, hub_url, WORKER)
    page.get_by_role("link", name="Register a resident").first.click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.get_by_label("Your hub's reference for the person").fill("LDH-B001")
    page.get_by_label("Age band").select_option("65+")
    page.get_by_label("On a low income").check()
    page.get_by_label("The person agrees to this record being kept").check()
    screenshot(page, "getonline-02-register")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Person LDH-B001"

    page.get_by_role("button", name="Issue a SIM card code").click()
    page.wait_for_load_state()
    assert "SIM card code issued" in page.locator("main").inner_text()

    page.get_by_label("Serial number").fill("LAP-UNWIPED-001")
    page.get_by_role("button", name="Allocate the device").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "LAP-UNWIPED-001 holds storage and has no wipe certificate" in summary
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    screenshot(page, "getonline-03-unwiped-refused")

    page.get_by_label("Serial number").fill("LAP-WIPED-001")
    page.get_by_role("button", name="Allocate the device").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Device allocated" in main and "LAP-WIPED-001" in main
    assert axe_violations(page) == []
    screenshot(page, "getonline-04-allocated")

    page.context.clear_cookies()
    sign_in(page, hub_url, "inclusion_team@hub.example")
    page.get_by_role("link", name="Monthly report").first.click()
    page.wait_for_load_state()
    lewisham = page.locator("#by-borough tbody tr").filter(has=page.get_by_role("rowheader", name="Lewisham", exact=True))
    assert lewisham.locator("td").all_inner_texts() == ["1", "1", "0", "0"]  # devices, SIMs, vouchers, learners
    assert axe_violations(page) == []
    screenshot(page, "getonline-05-report")

    page.goto(hub_url + "/get-online/team/stock")
    assert axe_violations(page) == []
    screenshot(page, "getonline-06-stock")
