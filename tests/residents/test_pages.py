"""The worker's and the privacy officer's pages: valid GOV.UK pages, decided and audited, nothing to a stranger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.pagecheck import check_page
from tests.residents.story import story_id

pytestmark = pytest.mark.django_db
SEARCH = {"surname": "okafor", "forename": "", "dob_day": "", "dob_month": "", "dob_year": "",
          "purpose": "Care Act review of support plan"}


@pytest.fixture
def lambeth_worker(residents_demo: Any, client_acting_as: Callable[..., Any]) -> Any:
    from boroughhub.organisations.models import User
    from boroughhub.residents.models import WorkerTeam

    client = client_acting_as("frontline_worker", "lambeth")
    WorkerTeam.objects.create(user=User.objects.get(email="frontline_worker@lambeth.test"), organisation_id="lambeth",
                              team_code="LAM-ASC-NORTH")
    return client


def test_the_home_page_links_to_the_resident_search(lambeth_worker: Any) -> None:
    html = lambeth_worker.get("/home").content.decode()
    assert 'href="/residents/"' in html


def test_search_flags_detail_and_addresses(lambeth_worker: Any) -> None:
    page = lambeth_worker.get("/residents/")
    check_page(page)
    found = lambeth_worker.post("/residents/", SEARCH)
    check_page(found)
    html = found.content.decode()
    assert "OKAFOR, Amara" in html and "14 June 1961" in html
    assert "Jamie" not in html  # 16: outside the agreement's cohort
    resident = lambeth_worker.get(f"/residents/{story_id('Amara')}/")
    check_page(resident)
    text = resident.content.decode()
    assert "Westminster" in text and "Rough sleeping outreach (CHAIN)" in text
    assert "No record found in the sources shared with the hub" in text
    from boroughhub.residents.models import Involvement

    housing = Involvement.objects.get(resident_id=story_id("Amara"), source="hclic")
    assert f"/residents/{story_id('Amara')}/involvements/{housing.pk}" in text
    detail = lambeth_worker.get(f"/residents/{story_id('Amara')}/involvements/{housing.pk}")
    check_page(detail)
    assert "Daniel Reyes" in detail.content.decode() and "020 7641 3001" in detail.content.decode()
    known = lambeth_worker.get(f"/residents/{story_id('Amara')}/addresses")
    check_page(known)
    assert "Flat 3, 12 Harrow Road" in known.content.decode()


def test_no_relationship_offers_only_break_glass_which_alerts_both_officers(
        lambeth_worker: Any, client: Any, client_acting_as: Callable[..., Any]) -> None:
    page = lambeth_worker.post("/residents/", {**SEARCH, "surname": "Lindqvist"})
    html = page.content.decode()
    assert "Lindqvist" not in html.replace('value="Lindqvist"', "")
    assert 'href="/residents/break-glass"' in html
    refused = lambeth_worker.get(f"/residents/{story_id('Peter')}/")
    assert refused.status_code == 403 and "Lindqvist" not in refused.content.decode()
    form = lambeth_worker.get("/residents/break-glass")
    check_page(form)
    bad = lambeth_worker.post("/residents/break-glass", {**SEARCH, "surname": "Lindqvist", "reason": "short"})
    assert bad.status_code == 400
    check_page(bad)
    opened = lambeth_worker.post("/residents/break-glass", {
        **SEARCH, "surname": "Lindqvist", "dob_day": "3", "dob_month": "2", "dob_year": "1949",
        "reason": "Police welfare check: found unwell at a Westminster address"})
    assert opened.status_code == 302 and opened["Location"] == f"/residents/{story_id('Peter')}/"
    assert lambeth_worker.get(f"/residents/{story_id('Peter')}/").status_code == 200
    for org in ("lambeth", "westminster"):
        officer = client_acting_as("privacy_officer", org)
        alerts = officer.get("/residents/oversight/alerts")
        check_page(alerts)
        from boroughhub.residents.models import BreakGlassAlert

        alert = BreakGlassAlert.objects.get(organisation_id=org)
        assert f"/residents/oversight/alerts/{alert.pk}" in alerts.content.decode()
        detail = officer.get(f"/residents/oversight/alerts/{alert.pk}")
        check_page(detail)
        assert "Police welfare check" in detail.content.decode()
        missing = officer.post(f"/residents/oversight/alerts/{alert.pk}", {"note": ""})
        assert missing.status_code == 400
        check_page(missing)
        closed = officer.post(f"/residents/oversight/alerts/{alert.pk}", {"outcome": "justified", "note": "Checked"})
        assert closed.status_code == 302
        alert.refresh_from_db()
        assert alert.status == "closed" and alert.outcome == "justified"
        client.logout()


def test_an_officer_never_sees_another_organisations_alert(lambeth_worker: Any,
                                                          client_acting_as: Callable[..., Any]) -> None:
    lambeth_worker.post("/residents/break-glass", {
        **SEARCH, "surname": "Lindqvist", "dob_day": "3", "dob_month": "2", "dob_year": "1949",
        "reason": "Police welfare check: found unwell at a Westminster address"})
    from boroughhub.residents.models import BreakGlassAlert

    westminster_alert = BreakGlassAlert.objects.get(organisation_id="westminster")
    gla = client_acting_as("privacy_officer", "gla")
    assert gla.get(f"/residents/oversight/alerts/{westminster_alert.pk}").status_code == 404


def test_access_history_lists_each_step_with_staff_hidden_unless_shown(lambeth_worker: Any, client: Any,
                                                                       client_acting_as: Callable[..., Any]) -> None:
    lambeth_worker.post("/residents/", SEARCH)
    lambeth_worker.get(f"/residents/{story_id('Amara')}/")
    lambeth_worker.get(f"/residents/{story_id('Amara')}/addresses")
    client.logout()
    officer = client_acting_as("privacy_officer", "westminster")
    query = {"surname": "Okafor", "dob_day": "14", "dob_month": "6", "dob_year": "1961", "purpose": "SAR 2026-118"}
    page = officer.get("/residents/oversight/history", query)
    check_page(page)
    html = page.content.decode()
    for step in ("Searched and saw results", "Viewed which services are involved", "Viewed known addresses"):
        assert step in html
    assert "Care Act review of support plan" in html
    assert "frontline_worker@lambeth.test" not in html
    shown = officer.get("/residents/oversight/history", {**query, "staff": "shown"}).content.decode()
    assert "frontline_worker@lambeth.test" in shown
    assert "/residents/oversight/history.csv?" in html
    download = officer.get("/residents/oversight/history.csv", {**query, "resident": story_id("Amara")})
    text = download.content.decode()
    assert download["Content-Disposition"].startswith('attachment; filename="resident-access-history-')
    assert text.splitlines()[0] == "When (London time),Organisation,What was seen,Purpose"
    assert "Searched and saw results" in text and "Okafor" not in text and "OKAFOR" not in text
    workbook = officer.get("/residents/oversight/history.xlsx", {**query, "resident": story_id("Amara"), "staff": "shown"})
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.cell(1, 5).value == "Staff" and sheet.cell(2, 5).value == "frontline_worker@lambeth.test"
    assert officer.get("/residents/oversight/history.csv", {**query, "resident": story_id("Peter")}).status_code == 200
    assert "attachment" not in officer.get("/residents/oversight/history.csv",
                                           {**query, "resident": story_id("Peter")}).get("Content-Disposition", "")
    spot = officer.get("/residents/oversight/spot-checks")
    check_page(spot)


def test_workers_outside_the_agreement_are_not_offered_the_search(residents_demo: Any,
                                                                  client_acting_as: Callable[..., Any]) -> None:
    camden = client_acting_as("frontline_worker", "camden")
    assert 'href="/residents/"' not in camden.get("/home").content.decode()
    assert camden.get("/residents/").status_code == 403


def test_hub_admins_keep_team_memberships(residents_demo: Any, client_acting_as: Callable[..., Any]) -> None:
    from boroughhub.organisations.models import User

    admin = client_acting_as("hub_admin", "hub")
    User.objects.filter(email="hub_admin@hub.test").update(is_superuser=True)  # the admin's model permissions
    page = admin.get("/admin/residents/workerteam/")
    assert page.status_code == 200 and "LAM-ASC-NORTH" in page.content.decode()
