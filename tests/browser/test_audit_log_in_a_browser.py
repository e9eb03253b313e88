"""Issue 16: Camden's privacy officer finds yesterday's accesses to Camden's H-CLIC by a named person.

Yesterday's entries are real ones: Camden's uploader uploads an H-CLIC extract with ``boroughhub submit``
while the audit log's clock is set to yesterday afternoon (``BOROUGHHUB_AUDIT_CLOCK``), so nothing edits
a row of the append-only log. "Yesterday" is derived from the moment the test runs, in London.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in
from tests.browser.server import DEMO_PASSWORD, REPOSITORY
from tests.sources.builders import valid_rows, write_submission

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
CAMDEN_SUPPLIER_CODE = "E09000007"
UPLOADER = "uploader@camden.example"
UPLOADER_NAME = "Demo uploader (camden)"


def camden_hclic_submission(folder: Path) -> Path:
    """The builders' valid H-CLIC rows as Camden would send them: only the columns the pilot lets it upload."""
    document = json.loads((REPOSITORY / "src" / "boroughhub" / "agreements" / "data"
                           / "example-dsa-pl-rsi-v1.json").read_text())
    content = document.get("content", document)
    allowed = next(set(d["field_sets"]["upload"]) for d in content["datasets"] if d["dataset_id"] == "hclic")
    rows = valid_rows("hclic")
    for table_rows in rows.values():
        for row in table_rows:
            for column in list(row):
                if column not in allowed:
                    row[column] = ""
    return write_submission(folder, "hclic", rows, supplier_code=CAMDEN_SUPPLIER_CODE)


def upload_with_the_audit_clock_at(instant: datetime, folder: Path) -> None:
    data_dir = os.environ["BOROUGHHUB_BROWSER_DATA_DIR"]
    env = {**os.environ, "BOROUGHHUB_ENV": "demo", "BOROUGHHUB_DATA_DIR": data_dir,
           "BOROUGHHUB_DEMO_PASSWORD": DEMO_PASSWORD, "BOROUGHHUB_AUDIT_CLOCK": instant.isoformat()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-m", "boroughhub.cli", "submit", str(folder), "--user", UPLOADER,
                             "--no-follow-up"], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def fill_day(page, prefix: str, day: date) -> None:
    page.locator(f"#{prefix}_day").fill(str(day.day))
    page.locator(f"#{prefix}_month").fill(str(day.month))
    page.locator(f"#{prefix}_year").fill(str(day.year))


def test_privacy_officer_finds_yesterdays_accesses_to_camdens_hclic_by_a_named_person(hub_url, page, tmp_path):
    today = datetime.now(LONDON).date()
    yesterday = today - timedelta(days=1)
    upload_with_the_audit_clock_at(datetime.combine(yesterday, time(14, 5), tzinfo=LONDON),
                                   camden_hclic_submission(tmp_path / "camden-hclic"))

    sign_in(page, hub_url, "privacy_officer@camden.example")
    page.goto(hub_url + "/agreements/audit")
    assert page.locator("h1").inner_text() == "Audit log", page.url + "\n" + page.locator("body").inner_text()
    fill_day(page, "from", yesterday)
    fill_day(page, "to", yesterday)
    page.get_by_label("Person").fill(UPLOADER_NAME)
    page.get_by_label("Dataset").select_option(label="H-CLIC extract")
    page.get_by_role("button", name="Show entries").click()
    page.wait_for_load_state()

    lines = page.locator("table.govuk-table tbody tr")
    assert lines.count() == 1, page.locator("main").inner_text()  # the permit and the upload: one line
    line = lines.first.inner_text()
    for expected in (f"{yesterday.day} {yesterday:%B %Y}, 14:05", "Data used", UPLOADER_NAME, UPLOADER,
                     "Upload of H-CLIC extract", "Allowed"):
        assert expected in line, (expected, line)
    assert axe_violations(page) == []
    screenshot(page, "privacy-officer-yesterdays-hclic-accesses")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this entry (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 2 and rows[1][3] == UPLOADER_NAME and rows[1][4] == UPLOADER

    fill_day(page, "from", today)  # nothing of Camden's H-CLIC today: the upload is dated yesterday
    fill_day(page, "to", today)
    page.get_by_role("button", name="Show entries").click()
    page.wait_for_load_state()
    assert page.locator("table.govuk-table tbody tr").count() == 0
    assert "0 entries match" in page.locator("main").inner_text()
