"""Headless Chromium from Debian's packages, driven by Playwright's Python package.

Never ``playwright install``: the browser comes from ``apt-get install chromium`` (make test does it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = Path(__file__).with_name("axe.min.js")
SCREENSHOTS = Path(os.environ.get("BOROUGHHUB_SCREENSHOTS", "var/screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def hub_url() -> Iterator[str]:
    """A demo hub served for this session: accounts ROLE@ORG.example (password server.DEMO_PASSWORD), the
    demo agreements, the worked example's insights, and small submission folders (prepare_pilot.py)."""
    from .server import running_hub

    with running_hub(prepare=True) as hub:
        os.environ["BOROUGHHUB_BROWSER_DATA_DIR"] = str(hub.data_dir)
        yield hub.url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # bypass_csp lets the test inject axe-core; the hub's own pages still run under their CSP.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Runs axe-core on the current page; returns the violations of the given impacts."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
