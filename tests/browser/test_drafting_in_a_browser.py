"""Issue 16: an IG lead drafts a new agreement from the template through the form, as rendered.

The date boxes once carried names the form never read (``first_day-0`` for ``first_day_0``), so
the form could not be submitted from a browser at all; this test fills it in as a person would.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_lambeth_ig_lead_drafts_an_agreement_from_the_template(hub_url, page):
    # Next financial year for two years, whatever today is (a draft in the past would be questioned).
    first, last = str(date.today().year + 1), str(date.today().year + 3)
    sign_in(page, hub_url, "ig_lead@lambeth.example")
    page.get_by_role("link", name="Agreements").first.click()
    page.get_by_role("button", name="Draft a new agreement").click()
    assert page.locator("h1").inner_text() == "Draft a new agreement"
    assert axe_violations(page) == []

    page.get_by_label("Short name").fill("dsa-lambeth-outreach")
    page.get_by_label("Title", exact=True).fill("Lambeth outreach insights")
    page.get_by_label("Pan-London insight sharing (version 1)").check()
    fill_date(page, "First day in force", "1", "4", first)
    page.get_by_role("button", name="Create the draft").click()
    # Without a last day the form says so, keeps what was typed, and links the error to its box.
    summary = page.locator(".govuk-error-summary")
    assert "Enter the last day in force" in summary.inner_text()
    assert "first day" not in summary.inner_text()  # the boxes' names are the ones the form reads
    assert page.get_by_role("group", name="First day in force").get_by_label("Year").input_value() == first
    assert axe_violations(page) == []
    screenshot(page, "ig-lead-draft-01-error")

    fill_date(page, "Last day in force", "31", "3", last)
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Lambeth outreach insights"
    assert page.url.endswith("/agreements/dsa-lambeth-outreach/1")
    main = page.locator("main").inner_text()
    assert "draft" in main and "London Borough of Lambeth" in main
    assert f"1 April {first}, 00:00 BST" in main and f"1 April {last}, 00:00 BST" in main  # the day after the last
    assert axe_violations(page) == []
    screenshot(page, "ig-lead-draft-02-created")
