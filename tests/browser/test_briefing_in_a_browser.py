"""Issue 15: from sign-in, a Camden analyst sees Camden beside London on one screen, sorts the comparison
of areas, and downloads the two-page committee PDF; every page is free of serious accessibility violations."""

from __future__ import annotations

import io

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
VIEWPORT_HEIGHT = 900  # the page fixture's viewport


def test_camden_analyst_summary_comparison_and_committee_paper(hub_url, page):
    from pypdf import PdfReader

    sign_in(page, hub_url, "analyst@camden.example")
    page.goto(hub_url + "/home")
    page.locator("main").get_by_role("link", name="Summary", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Rough sleeping in Camden, ")
    summary = page.locator("table.bh-summary-table")
    headings = summary.locator("thead th").all_inner_texts()
    assert "Camden" in headings and "London" in headings
    assert summary.locator("tbody tr").count() == 6
    screenshot(page, "analyst-10-summary")
    box = summary.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORT_HEIGHT, "the summary needs scrolling"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Compare areas").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Compare areas"
    first_rows = page.locator("#comparison-table tbody th").all_inner_texts()
    assert first_rows == ["London", "Camden"]
    page.locator("#comparison-table thead").get_by_role("link", name="Area").click()
    page.wait_for_load_state()
    assert "sort=area" in page.url and "order=descending" in page.url
    assert page.locator("#comparison-table thead th[aria-sort='descending']").inner_text().startswith("Area")
    assert page.locator("#comparison-table tbody th").all_inner_texts() == ["London", "Camden"]
    assert axe_violations(page) == []
    screenshot(page, "analyst-11-comparison")

    page.get_by_role("link", name="Committee summary").first.click()
    page.wait_for_load_state()
    assert "What the measures count" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "analyst-12-committee")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this summary as a PDF (2 pages, A4)").click()
    pdf = download.value.path().read_bytes()
    assert download.value.suggested_filename == "boroughhub-committee-summary-E09000007.pdf"
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2

    page.get_by_role("link", name="Data coverage").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Data coverage and freshness"
    assert axe_violations(page) == []
    screenshot(page, "analyst-13-coverage")
