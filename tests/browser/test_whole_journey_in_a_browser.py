"""Issue 9: the whole journey, as a borough meets the hub, on the full demo (synthetic pilot loaded,
linked and refreshed) served with its background worker.

Camden's IG lead signs the waiting agreement version; Camden's uploader sends a malformed H-CLIC extract,
reads the row-level report, sends the corrected one and watches it load, link and refresh; Camden's
analyst reads London and Camden, filters, downloads the XLSX and is refused person-level pages; the GLA's
analyst sees every pilot borough; Camden's privacy officer finds all of it in the audit log; and
``boroughhub audit verify`` passes. Every page is checked with axe-core and screenshotted
(``journey-*.png``; the user guides in docs/guides/ show them).

Camden uploads H-CLIC, not CHAIN: under the pilot agreement (agreements.md Appendix A) only the GLA
uploads CHAIN, and a borough supplies its own H-CLIC (docs/decisions/0025-whole-journey.md).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import approve_version, sign_in, upload_folder, watch_until_done
from tests.browser.server import RunningHub

pytestmark = pytest.mark.browser

CAMDEN, LAMBETH, HILLINGDON, WESTMINSTER = "E09000007", "E09000022", "E09000017", "E09000033"
PILOT_BOROUGHS = {CAMDEN: "Camden", HILLINGDON: "Hillingdon", LAMBETH: "Lambeth", WESTMINSTER: "Westminster"}


@pytest.fixture(scope="module")
def hub() -> Iterator[RunningHub]:
    from tests.browser.server import running_hub

    # BOROUGHHUB_JOURNEY_FROM=DIR starts from a copy of a demo data directory set up before, to iterate.
    copy_from = os.environ.get("BOROUGHHUB_JOURNEY_FROM")
    with running_hub(setup_args=(), copy_from=Path(copy_from) if copy_from else None) as running:
        yield running


def edit_cell(path: Path, line: int, column: str, value: str) -> str:
    """Sets ``column`` on file line ``line`` (the header is line 1); returns the old value."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    position = rows[0].index(column)
    old = rows[line - 1][position]
    rows[line - 1][position] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return old


def camden_extracts(hub: RunningHub, into: Path) -> tuple[Path, Path]:
    """Camden's H-CLIC extract as the demo loaded it, corrected (a household's surname amended) and
    malformed (the same, plus an impossible application date on line 4 of hclic_cases.csv)."""
    loaded = hub.data_dir / "as-agreed" / CAMDEN / "hclic"
    corrected, malformed = into / "corrected", into / "malformed"
    shutil.copytree(loaded, corrected)
    surname = edit_cell(corrected / "hclic_people.csv", 3, "last_name", "")
    edit_cell(corrected / "hclic_people.csv", 3, "last_name", surname + "-Reid")
    shutil.copytree(corrected, malformed)
    edit_cell(malformed / "hclic_cases.csv", 4, "application_date", "31/02/2025")
    return corrected, malformed


def checked(page: Any, name: str) -> None:
    """Every page of the journey: no serious or critical accessibility violation, and a screenshot."""
    assert axe_violations(page) == [], f"{name}: {axe_violations(page)}"
    screenshot(page, f"journey-{name}")


def ig_lead_signs_the_waiting_version(page: Any, url: str) -> None:
    sign_in(page, url, "ig_lead@camden.example")
    page.get_by_role("link", name="Agreements").first.click()
    checked(page, "01-ig-lead-agreements")
    page.locator(".govuk-notification-banner__link").first.click()  # the version waiting for Camden
    assert "version 2" in page.locator(".govuk-caption-l").inner_text() and page.url.endswith("/2")
    checked(page, "02-ig-lead-waiting-version")
    page.get_by_role("link", name="What changed since version 1").click()
    assert "changed" in page.locator("h1").inner_text().lower()
    checked(page, "03-ig-lead-what-changed")
    page.go_back()
    page.get_by_role("button", name="Sign or decline this version").click()
    assert page.locator(".govuk-inset-text code").first.inner_text().startswith("sha256:")
    approve_version(page, on_filled=lambda filled: checked(filled, "04-ig-lead-signs"))
    checked(page, "05-ig-lead-signed")


def uploader_corrects_a_malformed_extract(page: Any, url: str, corrected: Path, malformed: Path) -> None:
    sign_in(page, url, "uploader@camden.example")
    page.goto(url + "/submissions/")
    checked(page, "06-uploader-submissions")

    upload_folder(page, url, malformed)
    watch_until_done(page, timeout_s=300)
    main = page.locator("main").inner_text()
    assert "Rejected" in main and "application_date" in main and "31/02/2025" in main
    report = page.locator("table.govuk-table", has_text="Problems found")
    assert report.locator("tbody tr", has_text="hclic_cases.csv").count() >= 1
    assert report.locator("tbody tr", has_text="application_date").first.locator("td").nth(1).inner_text() == "4"
    checked(page, "07-uploader-row-level-report")

    upload_folder(page, url, corrected)
    seen = watch_without_reloading(page, timeout_s=900)
    assert seen, "the status page never showed the work in progress"
    main = page.locator("main").inner_text()
    assert "Accepted" in main, main
    tasks = page.locator(".govuk-task-list")
    assert tasks.locator(".govuk-task-list__item").count() == 2
    assert tasks.inner_text().count("Completed") == 2, tasks.inner_text()
    assert "records linked into" in page.locator("#after-loading-message").inner_text()
    checked(page, "09-uploader-loaded-and-linked")


def watch_without_reloading(page: Any, timeout_s: float) -> list[str]:
    """Watches the status page as the uploader would; screenshots the first sight of each step and
    returns the steps seen."""
    steps = (("checking", "Checking"), ("loading", "Loading"), ("linking", "Linking people across"),
             ("refreshing", "Refreshing the rough sleeping insights"))
    seen: list[str] = []

    def look(current: Any, text: str) -> None:
        for step, marker in steps:
            if marker in text and step not in seen:
                checked(current, f"08-uploader-progress-{len(seen) + 1}-{step}")
                seen.append(step)

    watch_until_done(page, timeout_s, look)
    return seen


def analyst_reads_filters_downloads_and_is_refused(page: Any, url: str, downloads: Path) -> None:
    sign_in(page, url, "analyst@camden.example")
    page.goto(url + "/insights/")
    assert page.locator("h1").inner_text() == "Rough sleeping"
    assert page.locator(".bh-chart svg").count() >= 1 and page.locator("table.govuk-table").count() >= 1
    checked(page, "10-analyst-london")

    page.get_by_label("Area").select_option(label="Camden")
    page.get_by_label("Break down by").select_option(label="Gender")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert f"area={CAMDEN}" in page.url and "breakdown=gender" in page.url
    assert "Camden" in page.locator(".govuk-caption-l").inner_text()
    checked(page, "11-analyst-camden-by-gender")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    saved = downloads / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    from openpyxl import load_workbook

    workbook = load_workbook(saved, read_only=True)
    assert workbook.sheetnames == ["Table", "Notes"]
    header = next(workbook["Table"].iter_rows(values_only=True))
    assert "Male" in header and "Female" in header  # broken down by gender, as filtered
    notes = {row[0]: row[1] for row in workbook["Notes"].iter_rows(values_only=True) if row and row[0]}
    assert notes["Area"] == "Camden" and notes["Breakdown"] == "Gender"

    page.goto(url + f"/insights/all?area={CAMDEN}")
    page.get_by_label("Periods").select_option(label="Financial quarters")
    page.get_by_role("button", name="Show measures").click()
    page.wait_for_load_state()
    assert "period_type=financial_quarter" in page.url
    assert "Q" in page.locator("table.govuk-table thead").first.inner_text()  # quarters as columns
    checked(page, "12-analyst-camden-by-quarter")

    refused = page.goto(url + "/linkage/review")  # person-level: pairs of records, Lambeth's among them
    assert refused.status == 403
    assert "You do not have permission" in page.locator("h1").inner_text()
    checked(page, "13-analyst-refused-person-level-review")
    refused = page.goto(url + f"/insights/area/{LAMBETH}")
    assert refused.status == 403


def gla_analyst_sees_every_pilot_borough(page: Any, url: str) -> None:
    sign_in(page, url, "analyst@gla.example")
    page.goto(url + "/insights/")
    options = page.get_by_label("Area").locator("option").all_inner_texts()
    assert set(PILOT_BOROUGHS.values()) <= set(options), options
    for code, name in PILOT_BOROUGHS.items():
        response = page.goto(url + f"/insights/area/{code}")
        assert response.status == 200 and name in page.locator("main").inner_text()
    checked(page, "14-gla-analyst-westminster")


def privacy_officer_finds_the_journey_in_the_audit_log(page: Any, url: str) -> None:
    sign_in(page, url, "privacy_officer@camden.example")
    page.goto(url + "/agreements/audit")
    checked(page, "15-privacy-officer-audit-log")

    def entries(**filters: str) -> str:
        query = "&".join(f"{name}={value}" for name, value in filters.items())
        page.goto(url + f"/agreements/audit?{query}")
        return page.locator("table.govuk-table tbody").inner_text()

    assert "Camden" in entries(event_type="sign_off")
    refusals = entries(outcome="deny")
    assert "Record view of Linked person clusters" in refusals and "Analyst" in refusals
    # A permit and the data use after it are one line: "Allowed" finds both kinds.
    hclic = entries(outcome="permit", dataset="hclic")
    assert "Upload of H-CLIC extract" in hclic
    assert "Linkage of H-CLIC extract" in hclic  # the GLA's linkage job read Camden's H-CLIC: Camden supplied it
    assert "Export of Rough sleeping aggregate insights" in entries(outcome="permit", dataset="metric_values")
    checked(page, "16-privacy-officer-permitted-decisions")


def test_the_whole_journey_from_a_signed_agreement_to_a_boroughs_insights(hub, browser, tmp_path):
    corrected, malformed = camden_extracts(hub, tmp_path)
    steps = (
        lambda page: ig_lead_signs_the_waiting_version(page, hub.url),
        lambda page: uploader_corrects_a_malformed_extract(page, hub.url, corrected, malformed),
        lambda page: analyst_reads_filters_downloads_and_is_refused(page, hub.url, tmp_path),
        lambda page: gla_analyst_sees_every_pilot_borough(page, hub.url),
        lambda page: privacy_officer_finds_the_journey_in_the_audit_log(page, hub.url),
    )
    for step in steps:  # each person in their own browser session
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
        try:
            step(context.new_page())
        finally:
            context.close()

    verified = subprocess.run([sys.executable, "-m", "boroughhub.cli", "audit", "verify"], env=hub.env,
                              capture_output=True, text=True, timeout=300)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_gla_analyst_labels_a_sample_and_the_next_run_learns_from_it(hub, browser):
    """Decision 185 on the full demo: the demo drew a label sample after linking; the GLA's analyst labels
    pairs of it without the model's score, the quality page weights the labels by band, and the next
    ``boroughhub link`` learns m from them and says so. The test labels as a hurried reviewer might: the same
    person when no field differs, until it has said "the same" once."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, hub.url, "analyst@gla.example")
        page.goto(hub.url + "/linkage/quality")
        assert "From sample 1: 0 of" in page.locator("main").inner_text()
        assert axe_violations(page) == []
        screenshot(page, "linkage-01-quality-sample")
        page.get_by_role("link", name="Label the sample").click()
        assert axe_violations(page) == []
        screenshot(page, "linkage-02-sample")
        page.get_by_role("link", name="Label the next pair").click()
        text = page.locator("main").inner_text()
        assert "Pair " in text and "match probability of" not in text  # labelled blind
        assert axe_violations(page) == []
        screenshot(page, "linkage-03-sample-pair")
        labelled, same = 0, 0
        while same == 0 and labelled < 60:
            differs = page.locator("strong.govuk-tag", has_text="Differs").count()
            page.get_by_label("Not the same person" if differs else "The same person", exact=True).check()
            page.get_by_role("button", name="Save").click()
            labelled, same = labelled + 1, same + (differs == 0)
        assert same == 1
        page.goto(hub.url + "/linkage/quality")
        assert f"From sample 1: {labelled} of" in page.locator("main").inner_text()

        linked = subprocess.run([sys.executable, "-m", "boroughhub.cli", "link", "--user", "analyst@gla.example"],
                                env=hub.env, capture_output=True, text=True, timeout=900)
        assert linked.returncode == 0, linked.stdout + linked.stderr
        page.goto(hub.url + "/linkage/quality")
        text = page.locator("main").inner_text()
        assert f"towards {labelled} labelled sample pairs (1 judged the same person, {labelled - 1} not)" in text
        assert axe_violations(page) == []
        screenshot(page, "linkage-04-labels-learnt")
    finally:
        context.close()
