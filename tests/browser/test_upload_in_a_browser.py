"""Issue 5: a demo uploader uploads a bad file and reads its report, then uploads the good one and sees it loaded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in, upload_folder, watch_until_done

pytestmark = pytest.mark.browser


def upload(page, hub_url: str, folder: Path) -> None:
    """Upload, then wait while the hub's background worker checks and loads the files."""
    upload_folder(page, hub_url, folder)
    watch_until_done(page, timeout_s=300)


def test_westminster_uploader_sees_a_report_for_a_bad_file_and_loads_the_good_one(hub_url, page):
    folders = Path(os.environ["BOROUGHHUB_BROWSER_DATA_DIR"]) / "browser-submissions"
    sign_in(page, hub_url, "uploader@westminster.example")
    page.goto(hub_url + "/submissions/")
    assert axe_violations(page) == []
    upload(page, hub_url, folders / "broken")
    main = page.locator("main").inner_text()
    assert "application_date" in main and "Rejected" in main
    assert axe_violations(page) == []
    screenshot(page, "uploader-01-report")

    upload(page, hub_url, folders / "good")
    main = page.locator("main").inner_text()
    assert "Accepted" in main or "accepted" in main
    assert axe_violations(page) == []
    screenshot(page, "uploader-02-loaded")
