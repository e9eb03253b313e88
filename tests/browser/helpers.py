"""Steps the browser tests share."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.browser.server import DEMO_PASSWORD


def sign_in(page: Any, hub_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(hub_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def upload_folder(page: Any, hub_url: str, folder: Path) -> None:
    """Uploads every file of ``folder`` (a manifest and its CSVs) from the upload page."""
    page.goto(hub_url + "/submissions/upload")
    page.locator("input[type=file]").set_input_files(sorted(str(p) for p in folder.iterdir()))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()


def wait_until_page_stops_refreshing(page: Any, timeout_s: float = 600, on_refresh: Any = None) -> int:
    """A status page keeps itself up to date (``data-live-status``) while its work runs. Reload it until
    the work is over; returns how many reloads that took. ``on_refresh(page)`` is called after each."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    reloads = 0
    while page.locator("[data-live-status]").count():
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.url} was still working after {timeout_s:.0f} s")
        page.wait_for_timeout(1000)
        try:
            page.goto(page.url)
        except PlaywrightError:  # the page's own reload navigated at the same moment: look again
            continue
        reloads += 1
        if on_refresh is not None:
            on_refresh(page)
    return reloads


def approve_version(page: Any, on_filled: Any = None) -> None:
    """On a version's sign page: approve as Camden's SIRO (``on_filled(page)`` sees the filled form),
    record it, and check that the version became active."""
    page.get_by_label("Approve this version", exact=True).check()
    page.get_by_label("Your position").fill("Senior Information Risk Owner")
    page.get_by_label("I am authorised to approve this version").check()
    if on_filled is not None:
        on_filled(page)
    page.get_by_role("button", name="Record my decision").click()
    page.wait_for_load_state()
    assert "active" in page.locator("main").inner_text().lower()
