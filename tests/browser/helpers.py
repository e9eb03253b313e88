"""Steps the browser tests share."""

from __future__ import annotations

from typing import Any

from tests.browser.server import DEMO_PASSWORD


def sign_in(page: Any, hub_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(hub_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
