"""Issue 20, done when: Barnet's security lead authorises a scope, imports a subfinder and an httpx file,
runs the checks against the loopback fake zone, sees an expired certificate and an exposed .git ranked
first, marks one accepted with a reason, and the next run shows what changed. Every page is axe-clean.

The fake zone runs in this test's process, on loopback; the hub (another process) resolves its names
through the zone's DNS stub only, and the one target outside scope is 127.0.0.2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from boroughhub.asm.loopback import FakeCouncilZone
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in, watch_until_done

pytestmark = pytest.mark.browser


def test_barnets_security_lead_maps_the_attack_surface(hub_url, page, tmp_path: Path):
    zone = FakeCouncilZone("barnet.test", datetime.now(UTC)).start()
    try:
        subfinder = tmp_path / "barnet-subfinder.jsonl"
        subfinder.write_text("\n".join(json.dumps({"host": f"{label}.barnet.test", "source": "crtsh"})
                                       for label in ("www", "intranet", "legacy", "files")))
        httpx = tmp_path / "barnet-httpx.jsonl"
        httpx.write_text(json.dumps({"url": f"https://www.barnet.test:{zone.sites['www'].port}", "status_code": 200,
                                     "webserver": "nginx"}))
        sign_in(page, hub_url, "security_lead@barnet.example")
        page.get_by_role("link", name="Scope and authorisation").first.click()
        page.wait_for_load_state()
        for entry in ("barnet.test", "127.0.0.1/32"):
            page.get_by_label("Domain, netblock or autonomous system").fill(entry)
            page.get_by_role("button", name="Add to the scope").click()
            page.wait_for_load_state()
        page.get_by_label("Who authorised scanning").fill("Jo Smith, Chief Information Officer")
        page.get_by_label("Reference of the authorisation").fill("ICT-2026-117")
        page.get_by_label("Date of the authorisation").fill(datetime.now(UTC).strftime("%d/%m/%Y"))
        page.get_by_role("button", name="Record the authorisation").click()
        page.wait_for_load_state()
        assert "ICT-2026-117" in page.locator("main").inner_text()
        assert axe_violations(page) == []
        screenshot(page, "asm-01-scope")

        for path, label in ((subfinder, "subfinder (JSON lines)"), (httpx, "httpx (JSON lines)")):
            page.goto(hub_url + "/asm/import")
            page.get_by_label(label).check()
            page.get_by_label("The file").set_input_files(str(path))
            page.get_by_role("button", name="Check and import").click()
            page.wait_for_load_state()
            assert "Imported" in page.locator("main").inner_text()
        assert axe_violations(page) == []

        page.goto(hub_url + "/asm/run")
        page.get_by_label("Targets").fill("\n".join([*zone.targets(), "127.0.0.2:80"]))
        page.get_by_label("DNS server to resolve names through (optional)").fill(zone.resolver)
        page.get_by_role("button", name="Run the checks").click()
        watch_until_done(page, timeout_s=120)  # the background worker runs the checks; the page follows
        main = page.locator("main").inner_text()
        assert "127.0.0.2 is in none of its netblocks" in main and "outside.barnet.test" in main
        assert axe_violations(page) == []

        page.get_by_role("link", name="See the findings register").click()
        page.wait_for_load_state()
        rows = page.locator("#register tbody tr")
        assert "Source code repository exposed" in rows.nth(0).inner_text()
        assert "TLS certificate expired" in rows.nth(1).inner_text()
        assert axe_violations(page) == []
        screenshot(page, "asm-02-register")

        rows.nth(0).get_by_role("link").click()
        page.wait_for_load_state()
        page.get_by_label("Accepted").check()
        page.get_by_label("Reason").fill("Test copy of the intranet; taken down at the end of the month")
        page.get_by_role("button", name="Save the status").click()
        page.wait_for_load_state()
        assert "Accepted" in page.locator("#register tbody tr").filter(has_text="Source code repository").inner_text()

        # Between runs the web team turns the directory listing off and a new host appears.
        zone.sites["intranet"].content.directory_listing = False
        zone.add_host("new")
        page.goto(hub_url + "/asm/run")
        page.get_by_label("Targets").fill("\n".join([*zone.targets(), f"new.barnet.test:{zone.sites['portal'].port}"]))
        page.get_by_label("DNS server to resolve names through (optional)").fill(zone.resolver)
        page.get_by_role("button", name="Run the checks").click()
        watch_until_done(page, timeout_s=120)  # the background worker runs the checks; the page follows
        main = page.locator("main").inner_text()
        assert "Directory listing enabled: http://intranet.barnet.test" in main
        assert "new.barnet.test" in main
        assert axe_violations(page) == []
        screenshot(page, "asm-03-changes")
    finally:
        zone.stop()
