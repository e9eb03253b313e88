from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.server import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, hub_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(hub_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_analyst_signs_in_and_every_page_on_the_way_passes_axe(hub_url, page):
    page.goto(hub_url + "/")
    assert page.locator("h1").inner_text() == "London's shared data hub"
    assert axe_violations(page) == []
    screenshot(page, "01-start")

    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email address").fill("analyst@camden.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/home")
    assert "Analyst, London Borough of Camden" in page.locator("header").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "02-analyst-home")


def test_wrong_password_shows_the_error_summary_and_passes_axe(hub_url, page):
    sign_in(page, hub_url, "uploader@camden.example", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    screenshot(page, "03-sign-in-error")
