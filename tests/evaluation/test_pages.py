"""The evaluation page: upload a spec and its CSVs, see field-level errors or the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boroughhub.evaluation import views
from tests.pagecheck import check_page

from .conftest import DATA, EXAMPLE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.urls")]


@pytest.fixture
def admin(client_acting_as: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(views, "FORMATS", ("json", "csv"))
    return client_acting_as("hub_admin", "hub")


def _upload(name: str, path: Path, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes(), content_type=content_type)


def test_upload_page_is_for_hub_admins(admin: Any, client_acting_as: Any) -> None:
    response = admin.get("/evaluation/")
    assert response.status_code == 200
    check_page(response)
    analyst = client_acting_as("analyst", "westminster")
    assert analyst.get("/evaluation/").status_code == 403


def test_a_missing_spec_is_a_field_error(admin: Any) -> None:
    response = admin.post("/evaluation/", {})
    assert response.status_code == 400
    facts = check_page(response)
    assert facts.error_summary and "Select the evaluation spec file" in response.content.decode()


def test_a_bad_spec_shows_the_validation_report_and_saves_nothing(admin: Any, tmp_path: Path) -> None:
    text = (EXAMPLE / "evaluation.yaml").read_text(encoding="utf-8").replace(
        "asm_probability:\n    value: 0.15", "asm_probability:\n    value: 1.2")
    files = [_upload(p.name, p) for p in EXAMPLE.glob("*.csv")]
    response = admin.post("/evaluation/", {"spec": SimpleUploadedFile("evaluation.yaml", text.encode()),
                                           "csv_files": files})
    assert response.status_code == 400
    check_page(response)
    html = response.content.decode()
    assert "probability_out_of_range" in html and "parameters.asm_probability.value" in html
    assert not list((tmp_path / "evaluations").glob("*"))


def test_a_good_spec_gives_results_and_downloads(admin: Any) -> None:
    response = admin.post("/evaluation/", {"spec": _upload("e5.yaml", DATA / "e5.yaml")})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"])
    assert page.status_code == 200
    check_page(page)
    assert "Pilot" in page.content.decode()
    download = admin.get(response.headers["Location"] + "/activities.csv")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"scenario,activity")
    assert admin.get(response.headers["Location"] + "/..%2fsecrets").status_code == 404
