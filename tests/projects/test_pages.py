"""The projects pages through the page checker: portfolio views, find-like-mine, export, a project's
page with the enablers gate, updates and watchers, and the public page."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from tests.pagecheck import check_page

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def project(db: Any) -> Any:
    from boroughhub.projects import NewProject, create_project
    from boroughhub.projects.store import SYSTEM

    return create_project(NewProject(
        slug="falls", title="Falls prevention sensors", outcome_statement="Older residents stay safely at home.",
        lead_organisation="hackney", partners=("southwark",), themes=("adult-social-care",), has_technology=True,
        update_interval_days=14, public_fields=("outcome_statement",)), SYSTEM, NOW - timedelta(days=30))


@pytest.fixture
def travel() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_portfolio_views_open_for_project_leads_and_show_overdue(client_acting_as: Any, project: Any,
                                                                 travel: Any) -> None:
    client = client_acting_as("project_lead", "southwark")
    for view in ("borough", "stage", "theme", "risk", "overdue"):
        page = client.get(f"/projects/?view={view}")
        assert page.status_code == 200
        check_page(page)
        assert "Falls prevention sensors" in page.content.decode()
    assert "Overdue" in client.get("/projects/?view=overdue").content.decode()


def test_other_roles_are_refused(client_acting_as: Any, project: Any) -> None:
    assert client_acting_as("analyst", "camden").get("/projects/").status_code == 403


def test_find_like_mine_and_export(client_acting_as: Any, project: Any, travel: Any) -> None:
    client = client_acting_as("project_lead", "camden")
    page = client.get("/projects/like-mine?text=sensors+for+falls&theme=adult-social-care")
    check_page(page)
    assert "Falls prevention sensors" in page.content.decode()
    data = json.loads(client.get("/projects/export.json").content)
    assert data[0]["partner_organisations"] == ["southwark"]
    assert client.get("/projects/export.xml").status_code == 404
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/projects/export.xlsx").content)).active
    assert sheet is not None and sheet.cell(2, 5).value == "hackney" and sheet.cell(2, 6).value == "southwark"


def test_the_gate_on_the_page_and_who_may_change(client_acting_as: Any, project: Any, travel: Any) -> None:
    partner = client_acting_as("project_lead", "southwark", email="lead@southwark.test")
    assert partner.post("/projects/falls", {"form": "move", "target": "discover"}).status_code == 404
    lead = client_acting_as("project_lead", "hackney")
    for target in ("discover", "define"):
        assert lead.post("/projects/falls", {"form": "move", "target": target}).status_code == 302
    refused = lead.post("/projects/falls", {"form": "move", "target": "develop"})
    assert refused.status_code == 400
    check_page(refused)
    assert "assess each hidden enabler" in refused.content.decode()
    for enabler in ("ig", "procurement", "skills", "culture", "data", "ethics"):
        lead.post("/projects/falls", {"form": f"enabler-{enabler}", "rating": "amber", "note": "n", "owner": "o"})
    assert lead.post("/projects/falls", {"form": "move", "target": "develop"}).status_code == 302
    page = lead.get("/projects/falls")
    check_page(page)
    assert "Define to Develop" in page.content.decode()


def test_an_update_notifies_watchers(client_acting_as: Any, project: Any, travel: Any) -> None:
    from boroughhub.agreements import Notification

    watcher = client_acting_as("programme_manager", "hub")
    assert watcher.post("/projects/falls", {"form": "watch", "on": "yes"}).status_code == 302
    lead = client_acting_as("project_lead", "hackney")
    assert lead.post("/projects/falls", {"form": "update", "summary": "Sensors installed in 40 homes."}).status_code == 302
    assert Notification.objects.filter(kind="project_update", subject__contains="Falls").count() == 1


def test_public_page_needs_no_sign_in_and_shows_only_public_fields(client: Any, project: Any) -> None:
    page = client.get("/projects/public/falls")
    check_page(page)
    body = page.content.decode()
    assert "Older residents stay safely at home." in body and "Southwark" not in body
    from boroughhub.projects.models import Project

    Project.objects.filter(slug="falls").update(is_public=False)
    assert client.get("/projects/public/falls").status_code == 404


def test_the_lead_is_told_of_an_overdue_update_once(client_acting_as: Any, project: Any) -> None:
    from django.core.management import call_command

    from boroughhub.agreements import Notification

    with time_machine.travel(NOW, tick=False):
        call_command("projects", "remind-overdue")
        call_command("projects", "remind-overdue")
        page = client_acting_as("project_lead", "hackney").get("/projects/")
    reminders = Notification.objects.filter(kind="project_overdue")
    assert [(n.organisation_id, n.role) for n in reminders] == [("hackney", "project_lead")]
    assert "Your borough leads 1 project with an overdue update" in page.content.decode()


def test_agreement_and_evaluation_links_only_for_those_they_open_for(client_acting_as: Any, make_user: Any,
                                                                     project: Any) -> None:
    from boroughhub.agreements import load_demo_agreements
    from boroughhub.projects.models import Project

    # The people the demo agreements name (as tests/agreements' demo_people makes them).
    for org in ("camden", "gla", "hillingdon", "lambeth", "westminster", "provider-a", "provider-b", "hub"):
        for role in ("ig_lead", "analyst", "privacy_officer", "uploader"):
            make_user(f"{role}@{org}.example", org, role, password=None)
    make_user("data_manager@hub.example", "hub", "data_manager", password=None)
    make_user("hub_admin@hub.example", "hub", "hub_admin", password=None)
    load_demo_agreements()
    Project.objects.filter(slug="falls").update(agreement_id="dsa-pl-rsi", evaluation_activity="Falls pilots")
    admin = client_acting_as("hub_admin", "hub").get("/projects/falls").content.decode()
    assert "Data sharing agreement dsa-pl-rsi<" in admin and "Programme evaluation: Falls pilots<" in admin
    lead = client_acting_as("project_lead", "hackney").get("/projects/falls").content.decode()
    assert "Data sharing agreement dsa-pl-rsi<" not in lead and "Programme evaluation: Falls" not in lead


def test_indicators_and_links_say_what_is_wrong_and_change_nothing(client_acting_as: Any, project: Any) -> None:
    from boroughhub.projects.models import Project

    lead = client_acting_as("project_lead", "hackney")
    bad = lead.post("/projects/falls", {"form": "indicator", "name": "Falls a month", "baseline": "lots",
                                        "target": "20"})
    assert bad.status_code == 400 and "baseline and target as numbers" in bad.content.decode()
    check_page(bad)
    lead.post("/projects/falls", {"form": "indicator", "name": "Falls a month", "unit": "falls", "baseline": "40",
                                  "target": "20"})
    indicator = Project.objects.get(slug="falls").indicators.get()
    lead.post("/projects/falls", {"form": "indicator", "indicator_id": str(indicator.pk), "period": "2026-27 Q3",
                                  "value": "31"})
    assert [(a.period, a.value) for a in indicator.actuals.all()] == [("2026-27 Q3", 31.0)]
    page = lead.get("/projects/falls")
    check_page(page)
    assert "45% of the way from the baseline of 40 to the target of 20" in page.content.decode()
    assert "<svg" in page.content.decode()
    unknown = lead.post("/projects/falls", {"form": "links", "agreement_id": "dsa-none", "public_fields": ["stage"]})
    assert unknown.status_code == 400 and "There is no data sharing agreement" in unknown.content.decode()
    assert Project.objects.get(slug="falls").public_fields == ["outcome_statement"]


def test_a_project_lead_starts_a_project_outcome_first(client_acting_as: Any, db: Any) -> None:
    from boroughhub.projects.models import Project

    lead = client_acting_as("project_lead", "hackney")
    check_page(lead.get("/projects/new"))
    form = {"title": "Shared brokerage", "outcome_statement": "", "partners": ["southwark"], "funders": ["gla"],
            "themes": ["adult-social-care"], "starts_on": "2027-04-01", "ends_on": "2028-03-31",
            "funding": "40,000", "update_interval_days": "30", "has_technology": "no"}
    refused = lead.post("/projects/new", form)
    assert refused.status_code == 400 and "Write the outcome statement first" in refused.content.decode()
    check_page(refused)
    dated = lead.post("/projects/new", {**form, "outcome_statement": "Care within two days.", "ends_on": "2026-01-01"})
    assert "cannot end before it starts" in dated.content.decode() and Project.objects.count() == 0
    assert lead.post("/projects/new", {**form, "outcome_statement": "Care within two days."}).status_code == 302
    project = Project.objects.get()
    assert (project.lead_organisation_id, project.funding_pence, str(project.ends_on)) == ("hackney", 40_000_00,
                                                                                        "2028-03-31")
    assert {(p.organisation_id, p.kind) for p in project.partners.all()} == {("southwark", "partner"),
                                                                            ("gla", "funder")}
    page = lead.get(f"/projects/{project.slug}").content.decode()
    assert "From 1 April 2027 to 31 March 2028" in page and project.moves.get().moved_by_name


def test_the_lead_changes_details_but_never_empties_the_outcome(client_acting_as: Any, project: Any) -> None:
    from boroughhub.projects.models import Project

    lead = client_acting_as("project_lead", "hackney")
    details = {"form": "details", "title": "Falls sensors", "outcome_statement": "  ", "problem": "Falls",
               "themes": ["adult-social-care", "housing"], "update_interval_days": "30"}
    refused = lead.post("/projects/falls", details)
    assert refused.status_code == 400 and "outcome statement cannot be empty" in refused.content.decode()
    assert Project.objects.get(slug="falls").title == "Falls prevention sensors"
    assert lead.post("/projects/falls", {**details, "outcome_statement": "Fewer falls at home."}).status_code == 302
    changed = Project.objects.get(slug="falls")
    assert (changed.title, changed.themes, changed.has_technology) == ("Falls sensors",
                                                                      ["adult-social-care", "housing"], False)
