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


def watch_until_done(page: Any, timeout_s: float = 600, look: Any = None) -> None:
    """Watches a status page as its reader would, never reloading it: the page's own script
    (web/live-status.js) must bring each change, until the page has no live region left.
    ``look(page, text)`` sees the main content at each glance."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            page.wait_for_load_state()
            if not page.locator("[data-live-status]").count():
                return
            if look is not None:
                look(page, page.locator("main").inner_text())
        except PlaywrightError:  # the script reloaded the page as a phase ended: look again
            continue
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.url} was still working after {timeout_s:.0f} s")
        page.wait_for_timeout(500)


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
