"""Issue 7: a borough analyst opens the London overview and their borough, with no serious or critical
accessibility violations, and is refused another borough's page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_camden_analyst_sees_london_and_camden_and_is_refused_lambeth(hub_url, page):
    sign_in(page, hub_url, "analyst@camden.example")
    page.goto(hub_url + "/insights/")
    assert page.locator("h1").inner_text() == "Rough sleeping"
    assert page.locator(".bh-chart svg").count() >= 1 and page.locator("table.govuk-table").count() >= 1
    assert axe_violations(page) == []
    screenshot(page, "analyst-01-london")

    page.get_by_label("Area").select_option(label="Camden")
    page.get_by_label("Break down by").select_option(label="Gender")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert "area=E09000007" in page.url and "breakdown=gender" in page.url  # shareable link
    assert "Camden" in page.locator(".govuk-caption-l").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "analyst-02-camden-by-gender")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    response = page.goto(hub_url + "/insights/area/E09000022")
    assert response.status == 403
    assert "You do not have permission" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
