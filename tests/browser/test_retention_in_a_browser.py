"""Issue 14 item 6: the hub's data manager sees what the retention clauses delete next, after the job
has listed it (run in the served hub's own environment, with its clock set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in
from tests.sources.builders import valid_rows, write_submission

pytestmark = pytest.mark.browser
REPOSITORY = Path(__file__).resolve().parents[2]
PILOT = REPOSITORY / "src/boroughhub/agreements/data/example-dsa-pl-rsi-v1.json"


def westminster_rows() -> dict[str, list[dict[str, str]]]:
    """The builders' H-CLIC rows with the columns the pilot agreement does not cover left empty."""
    document = json.loads(PILOT.read_text(encoding="utf-8"))
    content = document.get("content", document)
    allowed = next(set(d["field_sets"]["upload"]) for d in content["datasets"] if d["dataset_id"] == "hclic")
    rows = valid_rows("hclic")
    for table_rows in rows.values():
        for row in table_rows:
            for column in list(row):
                if column not in allowed:
                    row[column] = ""
    return rows


def run_in_hub(*args: str, clock: str) -> subprocess.CompletedProcess[str]:
    """``boroughhub ARGS`` against the served hub (its data directory, the demo profile, this checkout)."""
    env = {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": os.environ["BOROUGHHUB_BROWSER_DATA_DIR"],
           "BOROUGHHUB_AUDIT_CLOCK": clock,
           "PYTHONPATH": os.pathsep.join((str(REPOSITORY / "src"), str(REPOSITORY)))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "boroughhub.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600, cwd=REPOSITORY)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def test_data_manager_sees_what_is_deleted_next(hub_url, page, browser):
    sign_in(page, hub_url, "data_manager@hub.example")
    page.goto(hub_url + "/home")
    page.get_by_role("link", name="Retention").click()
    assert page.locator("h1").inner_text() == "Retention: what is deleted next"
    # Westminster's extract of its own (not the upload test's files, so that one still loads as new).
    rows = westminster_rows()
    rows["hclic_cases"][0]["household_type"] = "couple_without_children"
    folder = write_submission(Path(os.environ["BOROUGHHUB_BROWSER_DATA_DIR"]) / "retention-hclic", "hclic", rows)
    # Instants from today, never a fixed date: the demo's agreements run from the day the hub was set up.
    checked = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    uploaded = checked - timedelta(hours=1)
    run_in_hub("submit", str(folder), "--user", "uploader@westminster.example", "--no-follow-up",
               clock=uploaded.strftime("%Y-%m-%dT%H:%M:%SZ"))
    listed = run_in_hub("retention", "run", "--dry-run", clock=checked.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert "Would delete 0 holding(s)" in listed.stdout
    page.reload()
    main = page.locator("main").inner_text()
    in_london = checked.astimezone(ZoneInfo("Europe/London"))
    assert f"{in_london.day} {in_london:%B %Y at %H:%M}" in main and "Due within a month" in main
    assert "H-CLIC" in main and "Westminster" in main
    assert "dsa-pl-rsi version 1, datasets[hclic].hub_retention" in main
    assert axe_violations(page) == []
    screenshot(page, "retention-01-due-next")
    # Anyone else is refused the page, and is not offered it.
    other = browser.new_context(bypass_csp=True).new_page()
    sign_in(other, hub_url, "uploader@westminster.example")
    assert "/retention/" not in other.content()
    assert other.goto(hub_url + "/retention/").status == 403
    other.context.close()
