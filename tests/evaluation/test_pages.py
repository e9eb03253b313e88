"""The evaluation pages: the list of runs, the upload (checked, then evaluated by a background task), a run's
status and report page, and its downloads. Tests run django-tasks' immediate backend, so an upload's task
has run by the time the redirect is followed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boroughhub.evaluation import views
from boroughhub.evaluation.runs import Channel, RunStatus, RunStore
from tests.pagecheck import check_page

from .conftest import DATA, EXAMPLE
from .test_minimal_report import green_book_spec

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]


@pytest.fixture
def admin(client_acting_as: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(views, "FORMATS", ("json", "csv", "xlsx", "html"))  # the PDF has its own test
    return client_acting_as("hub_admin", "hub")


def _upload(name: str, path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/plain")


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/evaluation/[^"]+)"', html)


def test_list_is_for_hub_admins_and_offers_the_upload(admin: Any, client_acting_as: Any) -> None:
    response = admin.get("/evaluation/")
    assert response.status_code == 200
    check_page(response)
    html = response.content.decode()
    assert "There are no evaluation runs yet" in html and "/evaluation/new" in _links(html)
    check_page(admin.get("/evaluation/new"))
    analyst = client_acting_as("analyst", "westminster")
    assert analyst.get("/evaluation/").status_code == 403
    assert analyst.get("/evaluation/new").status_code == 403


def test_the_form_says_which_csv_files_are_needed(admin: Any) -> None:
    html = admin.get("/evaluation/new").content.decode()
    assert "(optional)" not in html
    assert "Only if the spec has a survey or interviews section" in html
    assert "A spec without a survey or interviews needs no CSV file" in html


def test_a_missing_spec_is_a_field_error(admin: Any) -> None:
    response = admin.post("/evaluation/new", {})
    assert response.status_code == 400
    facts = check_page(response)
    assert facts.error_summary and "Select the evaluation spec file" in response.content.decode()


def test_a_bad_spec_shows_the_validation_report_and_keeps_nothing(admin: Any, tmp_path: Path) -> None:
    text = (EXAMPLE / "evaluation.yaml").read_text(encoding="utf-8").replace(
        "asm_probability:\n    value: 0.15", "asm_probability:\n    value: 1.2")
    files = [_upload(p.name, p) for p in EXAMPLE.glob("*.csv")]
    response = admin.post("/evaluation/new", {"spec": SimpleUploadedFile("evaluation.yaml", text.encode()),
                                              "csv_files": files})
    assert response.status_code == 400
    check_page(response)
    html = response.content.decode()
    assert "probability_out_of_range" in html and "parameters.asm_probability.value" in html
    assert not list((tmp_path / "evaluations").glob("*"))
    assert "There are no evaluation runs yet" in admin.get("/evaluation/").content.decode()


def test_a_spec_whose_csv_files_are_not_uploaded_names_each_file(admin: Any, tmp_path: Path) -> None:
    response = admin.post("/evaluation/new", {"spec": _upload("evaluation.yaml", EXAMPLE / "evaluation.yaml")})
    assert response.status_code == 400
    check_page(response)
    html = response.content.decode()
    for name in ("survey_responses.csv", "interview_excerpts.csv"):
        assert f"{name} is named in the spec but was not supplied: upload it with the spec" in html
    assert not list((tmp_path / "evaluations").glob("*"))


def test_an_upload_becomes_a_run_evaluated_in_the_background(admin: Any) -> None:
    response = admin.post("/evaluation/new", {"spec": _upload("e5.yaml", DATA / "e5.yaml")})
    assert response.status_code == 302
    run_url = response.headers["Location"]
    page = admin.get(run_url)
    assert page.status_code == 200
    check_page(page)
    html = page.content.decode()
    assert "E5: small five-year programme" in html and "Finished" in html and "data-live-status" not in html
    assert "BCR 1.64 (Medium), NPSV £212,813" in html
    assert "hub_admin@hub.test" in html  # who started it
    # The report inline, in a frame the report's own policy allows (and nothing else may frame it).
    assert f'<iframe class="evaluation-report-frame" src="{run_url}/report"' in html
    report = admin.get(f"{run_url}/report")
    assert report.status_code == 200 and report.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "sandbox" in report.headers["Content-Security-Policy"]
    assert b"7. Uncertainty" in b"".join(report.streaming_content)
    # Every download offered opens; the list of runs leads to this run.
    downloads = [link for link in _links(html) if link.startswith(run_url + "/") and link != f"{run_url}/report"]
    assert {f"{run_url}/activities.csv", f"{run_url}/results.xlsx", f"{run_url}/report.html"} <= set(downloads)
    for link in downloads:
        assert admin.get(link).status_code == 200, link
    xlsx = b"".join(admin.get(f"{run_url}/results.xlsx").streaming_content)
    assert xlsx.startswith(b"PK")
    listing = admin.get("/evaluation/").content.decode()
    assert run_url in _links(listing) and "Finished" in listing
    assert admin.get(run_url + "/..%2fsecrets").status_code == 404
    assert admin.get(run_url + "/report.pdf").status_code == 404  # not written, so not offered either
    assert "report.pdf" not in html


def test_the_minimal_green_book_spec_from_the_form(admin: Any, tmp_path: Path) -> None:
    spec = yaml.dump(green_book_spec(), sort_keys=False).encode()
    response = admin.post("/evaluation/new", {"spec": SimpleUploadedFile("appraisal.yaml", spec)})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"])
    check_page(page)
    html = page.content.decode()
    assert "Minimal Green Book appraisal" in html
    offered = _links(html)
    assert f"{response.headers['Location']}/activities.csv" in offered
    assert f"{response.headers['Location']}/monte_carlo_summary.csv" not in offered  # not assessed: empty
    report = b"".join(admin.get(response.headers["Location"] + "/report").streaming_content).decode()
    assert report.count("Not assessed") >= 5


def test_a_run_still_working_updates_itself_and_offers_no_report(admin: Any, tmp_path: Path) -> None:
    store = RunStore(tmp_path / "evaluations")
    run_id = "00000000-0000-4000-8000-000000000001"
    store.create(run_id, title="Waiting programme", spec_name="e5.yaml", created_by="someone@hub.test",
                 channel=Channel.WEB, now=timezone.now())
    store.update(run_id, timezone.now(), status=RunStatus.RUNNING, progress="Monte Carlo simulation",
                 progress_percent=35)
    page = admin.get(f"/evaluation/runs/{run_id}")
    check_page(page)
    html = page.content.decode()
    assert 'data-live-status data-live-seconds="3" data-live-phase="running"' in html
    assert "Monte Carlo simulation: 35%" in html and "<iframe" not in html
    assert admin.get(f"/evaluation/runs/{run_id}/report").status_code == 404
    assert admin.get(f"/evaluation/runs/{run_id}/results.json").status_code == 404
    assert admin.get("/evaluation/runs/00000000-0000-4000-8000-000000000009").status_code == 404
    assert 'id="run-stuck"' not in html
    store.update(run_id, timezone.now() - timedelta(minutes=11))  # no progress since: the worker may be gone
    assert "The hub’s background worker may have stopped" in admin.get(f"/evaluation/runs/{run_id}").content.decode()


def test_a_failed_run_says_what_to_do(admin: Any, tmp_path: Path) -> None:
    from boroughhub.evaluation.run_evaluation import evaluate_stored_run

    store = RunStore(tmp_path / "evaluations")
    run_id = "00000000-0000-4000-8000-000000000002"
    store.input_dir(run_id).mkdir(parents=True)
    (store.input_dir(run_id) / "e5.yaml").write_bytes((DATA / "e5.yaml").read_bytes())
    store.create(run_id, title="E5", spec_name="e5.yaml", created_by="someone@hub.test", channel=Channel.WEB,
                 now=timezone.now())
    store.output_dir(run_id).write_text("a file where the output folder goes")  # writing the outputs fails
    run = evaluate_stored_run(store, run_id, ["json"], timezone.now)
    assert run.status == RunStatus.FAILED and "quote the run number" in run.failure
    page = admin.get(f"/evaluation/runs/{run_id}")
    check_page(page)
    html = page.content.decode()
    assert "Failed" in html and "quote the run number" in html and "Traceback" not in html


def test_the_demo_run_opens_from_the_list_and_the_home_page(admin: Any) -> None:
    """The demo set-up keeps the example evaluation as a run (with the command); it reads like any other."""
    from boroughhub.web.management.demo_steps import DEMO_EVALUATION_RUN, evaluate_programme

    assert evaluate_programme().startswith("evaluation run")
    assert evaluate_programme() == "already evaluated"
    listing = admin.get("/evaluation/")
    check_page(listing)
    html = listing.content.decode()
    run_url = f"/evaluation/runs/{DEMO_EVALUATION_RUN}"
    assert run_url in _links(html) and "boroughhub demo (command line)" in html
    assert "London innovation programme: value-for-money evaluation (example)" in html
    page = admin.get(run_url)
    assert page.status_code == 200
    check_page(page)
    assert f"{run_url}/report.pdf" in _links(page.content.decode())
    pdf = admin.get(f"{run_url}/report.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    report = b"".join(admin.get(f"{run_url}/report").streaming_content).decode()
    assert "4. Member survey" in report and "Not assessed" not in report.split('id="survey"')[1][:2000]
    home = admin.get("/home").content.decode()
    assert f'href="{run_url}"' in home
