"""Issue 4: the demo IG lead reads, compares and signs the waiting version; it becomes active and
decide() permits what it grants."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import approve_version, sign_in

pytestmark = pytest.mark.browser


def decide(request: dict) -> dict:
    env = {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": os.environ["BOROUGHHUB_BROWSER_DATA_DIR"]}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    path = os.path.join(env["BOROUGHHUB_DATA_DIR"], "request.json")
    with open(path, "w") as handle:
        json.dump(request, handle)
    out = subprocess.run([sys.executable, "-m", "boroughhub.cli", "decide", "--request", path], env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def test_camden_ig_lead_reads_compares_and_signs_the_waiting_version(hub_url, page):
    sign_in(page, hub_url, "ig_lead@camden.example")
    page.get_by_role("link", name="Agreements").first.click()
    assert axe_violations(page) == []
    screenshot(page, "ig-lead-01-agreements")
    page.locator(".govuk-notification-banner__link").first.click()  # the version waiting for Camden
    assert "version 2" in page.locator("h1").inner_text().lower() or "2" in page.url
    assert axe_violations(page) == []
    screenshot(page, "ig-lead-02-version")
    page.get_by_role("link", name="What changed since version 1").click()
    assert axe_violations(page) == []
    screenshot(page, "ig-lead-03-changes")
    page.go_back()
    page.get_by_role("button", name="Sign or decline this version").click()
    shown_hash = page.locator(".govuk-inset-text code").first.inner_text()
    assert shown_hash.startswith("sha256:")
    # The decision comes first; what changed is highlighted after it; the full text stays folded.
    changed = page.get_by_role("region", name="What changed from version 1")
    assert "Suppression threshold for Rough sleeping aggregate insights raised from 10 to 11" in changed.inner_text()
    assert not page.get_by_text("UK GDPR Article 6(1)(e): public task").is_visible()
    assert axe_violations(page) == []
    # Approving without confirming authority is refused field by field.
    page.get_by_label("Approve this version", exact=True).check()
    page.get_by_role("button", name="Record my decision").click()
    assert "Confirm that you are authorised" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    approve_version(page, on_filled=lambda filled: screenshot(filled, "ig-lead-04-sign"))
    assert page.locator(".govuk-panel__title").inner_text() == "Approval recorded"
    assert shown_hash in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "ig-lead-05-signed")

    decision = decide({
        "request_id": "6f1c1d4e-0000-4000-8000-000000000001", "user": "analyst@camden.example", "org": "camden",
        "role": "analyst", "action": "view_aggregate", "dataset": "metric_values",
        "fields": ["metric", "period", "area_code", "value"], "purpose": "bhp:rough-sleeping-strategic-insight",
        # Just after the signature: the demo grants its roles from the moment it is set up, so any fixed
        # instant would one day fall before the grants (or after the agreement's term).
        "time": datetime.now(UTC).isoformat(),
    })
    assert decision["decision"] == "permit"
    assert decision["agreement_id"] == "dsa-pl-rsi" and decision["agreement_version"] == 2
