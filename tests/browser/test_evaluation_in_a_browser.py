"""Issue 16: the hub admin evaluates a minimal Green Book spec, follows the run as the background worker
evaluates it, reads the report inline and downloads the PDF; the run is then in the list of runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.helpers import sign_in, watch_until_done
from tests.evaluation.test_minimal_report import green_book_spec

pytestmark = pytest.mark.browser


def test_hub_admin_evaluates_a_spec_and_reads_its_report(hub_url, page, tmp_path: Path):
    spec = tmp_path / "appraisal.yaml"
    spec.write_text(yaml.dump(green_book_spec(), sort_keys=False), encoding="utf-8")
    sign_in(page, hub_url, "hub_admin@hub.example")
    page.goto(hub_url + "/evaluation/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Evaluate a spec").click()
    page.wait_for_load_state()
    page.get_by_label("Evaluation spec (YAML)").set_input_files(str(spec))
    page.get_by_role("button", name="Check and evaluate").click()
    watch_until_done(page)  # the worker evaluates it; the page follows by itself (10 minutes at most)

    main = page.locator("main").inner_text()
    assert "Finished" in main and "BCR 1.15 (Low), NPSV £17,454" in main
    report = page.frame_locator("iframe.evaluation-report-frame")
    assert report.get_by_role("heading", level=1).inner_text() == "Minimal Green Book appraisal"
    assert report.get_by_text("Not assessed").first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "evaluation-01-run")
    assert "Monte Carlo summary" not in main  # not assessed: its empty CSV is not offered

    with page.expect_download() as download:
        page.get_by_role("link", name="Report (PDF)").click()
    assert download.value.suggested_filename == "report.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="All evaluation runs").click()
    page.wait_for_load_state()
    row = page.get_by_role("row", name="Minimal Green Book appraisal")
    assert "Finished" in row.inner_text() and "hub_admin@hub.example" in row.inner_text()
