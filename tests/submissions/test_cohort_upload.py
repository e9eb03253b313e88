"""An upload under an agreement with cohort rules, through the real pipeline: the agreement signed by every
party, the supplier's upload, the people outside the cohort never stored, and the report and page saying
how many rows were left out, under which rule, in which file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from boroughhub.submissions.models import Submission
from boroughhub.warehouse import Warehouse
from tests.pagecheck import check_page
from tests.submissions.test_upload_obligations import westminster_hclic

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement_with_cohort_rules(demo_people: Callable[[str, str], Any]) -> Any:
    """The pilot agreement whose H-CLIC records are kept to main applicants owed a prevention or relief duty."""
    from boroughhub.agreements.store.demo import demo_actor, demo_document, sign_by_everyone
    from boroughhub.agreements.store.lifecycle import create_agreement

    content = demo_document()["content"]
    content["data_subjects"]["cohort_rules"] = [
        {"dataset": "hclic", "rule": "owed_prevention_or_relief_duty"},
        {"dataset": "hclic", "rule": "main_applicants_only"},
    ]
    return sign_by_everyone(create_agreement(demo_actor("camden"), "dsa-pl-rsi", content))


def test_people_outside_the_cohort_are_never_stored_and_the_report_counts_them(
    agreement_with_cohort_rules: Any, run_command: Callable[..., tuple[int, str, str]], settings: Any,
    tmp_path: Path, client_acting_as: Callable[..., Any],
) -> None:
    version = agreement_with_cohort_rules
    assert version.status == "active"
    status, out, err = run_command("submit", str(westminster_hclic(tmp_path / "w", version.content)),
                                   "--user", "uploader@westminster.example")
    submission = Submission.objects.get()
    assert status == 0 and submission.status == "accepted", out + err
    # H3 is a child (under 18: the age rule) and H4's case K3 was owed no duty (a cohort rule); the main
    # applicant rule finds no one left, so it gives no line.
    assert submission.report_summary["left_out"] == [
        {"rule": "min_age_years", "people": 1, "rows": 1, "rows_by_file": {"hclic_people.csv": 1}},
        {"rule": "cohort:owed_prevention_or_relief_duty", "people": 1, "rows": 2,
         "rows_by_file": {"hclic_cases.csv": 1, "hclic_people.csv": 1}},
    ]
    notes = [n for n in submission.report_summary["notes"] if "left out" in n]
    assert notes[1].startswith("1 person whose H-CLIC case was not owed a prevention or relief duty was left out")
    assert "dsa-pl-rsi version 1" in notes[1]
    with Warehouse(settings.WAREHOUSE_PATH, read_only=True) as warehouse:
        assert {r[0] for r in warehouse.fetchall("SELECT person_ref FROM main.hclic_people")} == {"H1", "H2"}
        assert {r[0] for r in warehouse.fetchall("SELECT case_ref FROM main.hclic_cases")} == {"K1", "K2"}
        assert warehouse.fetchall("SELECT count(*) FROM identity.hclic_people WHERE person_ref = 'H4'") == [(0,)]

    page = client_acting_as("uploader", "westminster").get(
        f"/submissions/{submission.id}")
    check_page(page, forbidden=("Ed", "Fox", "1970-03-03"))
    html = page.content.decode()
    assert "Rows left out under the agreement" in html and "owed_prevention_or_relief_duty" in html


def test_a_signed_rule_the_hub_no_longer_applies_refuses_the_upload_audited_and_said(
    agreement_with_cohort_rules: Any, run_command: Callable[..., tuple[int, str, str]], settings: Any,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A signed agreement whose cohort rule the hub cannot apply (here: the rule was taken out of the hub
    after signing) refuses the upload with a line that says which rule and what to correct."""
    from boroughhub.audit.models import AuditEntry
    from boroughhub.warehouse import cohort

    monkeypatch.delitem(cohort.COHORT_QUERIES, ("main_applicants_only", "hclic"))
    version = agreement_with_cohort_rules
    status, out, err = run_command("submit", str(westminster_hclic(tmp_path / "w", version.content)),
                                   "--user", "uploader@westminster.example")
    submission = Submission.objects.get()
    assert status == 1 and submission.status == "rejected", out + err
    assert "main_applicants_only" in out and "data_subjects.cohort_rules" in out
    assert "Traceback" not in out + err and submission.warehouse_version is None
    assert [row["rule"] for row in submission.report_rows] == ["not_permitted"]
    assert submission.report_summary["left_out"] == []
    refusal = AuditEntry.objects.get(event_type="decision", action="upload", outcome="deny")
    assert refusal.reasons == [{"code": "UPLOAD_REJECTED"}] and refusal.payload["rules"] == ["not_permitted"]
    with Warehouse(settings.WAREHOUSE_PATH, read_only=True) as warehouse:
        assert warehouse.fetchall("SELECT count(*) FROM main.hclic_people") == [(0,)]


def test_the_agreement_page_shows_the_cohort_rules_in_plain_english(
    agreement_with_cohort_rules: Any, client_acting_as: Callable[..., Any],
) -> None:
    page = client_acting_as("ig_lead", "camden").get("/agreements/dsa-pl-rsi/1")
    assert page.status_code == 200
    check_page(page)
    html = page.content.decode()
    assert "People the data is about" in html
    assert "only main applicants; other members of the household are left out" in html
    assert "only people whose H-CLIC case was assessed as owed a prevention or relief duty" in html
