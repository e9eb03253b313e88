"""Issue 14: Southwark, not in the pilot, joins the pilot agreement under the "borough" profile; the hub admin
countersigns; its uploader sends an H-CLIC extract and its analyst sees Southwark's insights. Camden's IG lead
is told and signs nothing. (That Southwark's uploads before its accession time are refused is
tests/agreements/test_accession_store.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in, upload_folder, watch_until_done

pytestmark = pytest.mark.browser


def waiting_for_camden(page, hub_url: str) -> str:
    page.goto(hub_url + "/agreements/")
    banner = page.locator(".govuk-notification-banner")
    return banner.inner_text() if banner.count() else ""


def test_southwark_joins_uploads_and_sees_its_insights(hub_url, browser):
    def fresh_page():
        return browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()

    camden = fresh_page()
    sign_in(camden, hub_url, "ig_lead@camden.example")
    to_sign_before = waiting_for_camden(camden, hub_url)

    analyst = fresh_page()
    sign_in(analyst, hub_url, "analyst@southwark.example")
    assert analyst.goto(hub_url + "/insights/").status == 403  # not a party yet

    lead = fresh_page()
    sign_in(lead, hub_url, "ig_lead@southwark.example")
    lead.goto(hub_url + "/agreements/")
    lead.get_by_role("link", name="agreement your organisation can join").click()
    lead.wait_for_load_state()
    assert axe_violations(lead) == []
    lead.get_by_role("link", name="Join Pan-London rough sleeping insights").first.click()
    lead.wait_for_load_state()
    assert "Join " in lead.locator("h1").inner_text()
    lead.get_by_label("Borough", exact=True).check()
    lead.get_by_label("Your position").fill("Senior Information Risk Owner")
    lead.get_by_label("Your organisation's accountable officer").fill("Senior Information Risk Owner")
    lead.get_by_label("I am authorised to sign this agreement").check()
    assert axe_violations(lead) == []
    screenshot(lead, "accession-01-join")
    lead.get_by_role("button", name="Sign and ask to join").click()
    lead.wait_for_load_state()
    assert "waiting for the hub admin" in lead.locator("main").inner_text()

    admin = fresh_page()
    sign_in(admin, hub_url, "hub_admin@hub.example")
    admin.goto(hub_url + "/agreements/")
    admin.get_by_role("link", name="London Borough of Southwark asks to join").first.click()
    admin.wait_for_load_state()
    admin.get_by_role("link", name="Countersign or decline").click()
    admin.wait_for_load_state()
    assert axe_violations(admin) == []
    admin.get_by_label("Countersign: London Borough of Southwark joins now").check()
    screenshot(admin, "accession-02-countersign")
    admin.get_by_role("button", name="Record my decision").click()
    admin.wait_for_load_state()
    assert "Joined" in admin.locator("main").inner_text()

    uploader = fresh_page()
    sign_in(uploader, hub_url, "uploader@southwark.example")
    upload_folder(uploader, hub_url, Path(os.environ["BOROUGHHUB_BROWSER_DATA_DIR"]) / "browser-submissions"
                  / "southwark")
    watch_until_done(uploader, timeout_s=300)
    assert "accepted" in uploader.locator("main").inner_text().lower()
    screenshot(uploader, "accession-03-uploaded")

    response = analyst.goto(hub_url + "/insights/")
    assert response.status == 200
    analyst.get_by_label("Area").select_option(label="Southwark")
    analyst.get_by_role("button", name="Show figures").click()
    analyst.wait_for_load_state()
    assert "area=E09000028" in analyst.url and "Southwark" in analyst.locator(".govuk-caption-l").inner_text()
    assert axe_violations(analyst) == []
    screenshot(analyst, "accession-04-southwark-insights")

    # Camden's IG lead was told, and has nothing more to sign than before.
    camden.goto(hub_url + "/agreements/")
    assert "London Borough of Southwark joined" in camden.locator("main").inner_text()
    assert waiting_for_camden(camden, hub_url) == to_sign_before
