"""Get Online London's pages, each checked by the page checker: the public list and feed, the hub
worker's day (register, issue, allocate, refusal), the service team's pages and the report."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from boroughhub.getonline import store
from boroughhub.getonline.models import Device, Hub
from boroughhub.getonline.rules import DeviceState
from tests.pagecheck import check_page

from .conftest import NOW


@pytest.fixture
def stocked(hub: Any) -> Any:
    from boroughhub.getonline.management.demo import seed_lewisham_pilot

    seed_lewisham_pilot(NOW)
    return Hub.objects.get(organisation_id="lewisham-digital-hub")


def test_the_public_list_needs_no_sign_in_and_filters_by_borough_and_offer(client: Any, hub: Any) -> None:
    page = client.get("/get-online/")
    assert page.status_code == 200
    check_page(page)
    assert "Deptford Digital Hub" in page.content.decode()
    assert "Deptford" not in client.get("/get-online/?borough=E09000007").content.decode()
    Hub.objects.filter(pk=hub.pk).update(offers_skills=False)
    assert "Deptford" not in client.get("/get-online/?offer=skills").content.decode()


def test_applied_hubs_are_not_listed_until_approved(client: Any, db: Any) -> None:
    page = client.post("/get-online/apply", {"name": "New Cross Learning Centre", "address": "2 New Cross Road",
                                             "postcode": "SE14 5AA", "borough": "E09000023", "opening_times": "Weekdays",
                                             "offers": ["skills"], "contact_email": "hello@ncl.example"})
    check_page(page)
    assert "Application sent" in page.content.decode()
    assert "New Cross Learning Centre" not in client.get("/get-online/").content.decode()


def test_an_application_with_mistakes_says_what_to_fix(client: Any, db: Any) -> None:
    page = client.post("/get-online/apply", {"name": "X", "postcode": "nowhere"})
    assert page.status_code == 400
    facts = check_page(page)
    assert facts.error_summary
    assert "Enter a postcode like SE13 6AA" in page.content.decode()
    assert not Hub.objects.exists()


def test_the_feed_is_open_referral_uk_json(client: Any, hub: Any) -> None:
    feed = json.loads(client.get("/get-online/hubs.json").content)
    assert feed["total_items"] == 1
    service = feed["contents"][0]
    assert service["service_areas"][0]["extent"] == "E09000023"
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "SE8 4AA"
    assert {a["taxonomy_term"]["code"] for a in service["attributes"]} == {"devices", "data", "skills"}


def test_a_hub_worker_registers_issues_a_sim_and_allocates_only_a_wiped_laptop(
        client_acting_as: Any, stocked: Any) -> None:
    client = client_acting_as("inclusion_worker", "lewisham-digital-hub")
    check_page(client.get("/get-online/hub/"))
    check_page(client.get("/get-online/hub/people/new"))
    page = client.post("/get-online/hub/people/new", {"reference": "LDH-0001", "borough": "E09000023",
                                                      "age_band": "65+", "eligibility": ["low_income"], "consent": "on"})
    assert page.status_code == 302
    person_url = "/get-online/hub/people/LDH-0001"
    assert client.post(f"{person_url}/sim", {"reason": ""}).status_code == 302
    check_page(client.get(f"{person_url}?done=sim"))
    refused = client.post(f"{person_url}/device", {"serial": "LAP-UNWIPED-001", "reason": ""})
    assert refused.status_code == 400
    check_page(refused)
    assert "no wipe certificate" in refused.content.decode()
    assert client.post(f"{person_url}/device", {"serial": "LAP-WIPED-001", "reason": ""}).status_code == 302
    assert Device.objects.get(serial="LAP-WIPED-001").state == DeviceState.ALLOCATED
    again = client.post(f"{person_url}/sim", {"reason": ""})
    assert again.status_code == 400 and "Record the reason" in again.content.decode()


def test_a_hub_worker_without_a_missing_consent_records_nothing(client_acting_as: Any, stocked: Any) -> None:
    client = client_acting_as("inclusion_worker", "lewisham-digital-hub")
    page = client.post("/get-online/hub/people/new", {"reference": "LDH-0002", "borough": "E09000023",
                                                      "age_band": "65+", "eligibility": ["low_income"]})
    assert page.status_code == 400
    check_page(page)
    assert "must agree" in page.content.decode()


def test_a_hub_worker_sees_only_their_own_hubs_people(client_acting_as: Any, stocked: Any, person: Any) -> None:
    client = client_acting_as("inclusion_worker", "lewisham-digital-hub")
    assert client.get(f"/get-online/hub/people/{person.reference}").status_code == 404


def test_the_team_approves_a_hub_and_adds_staff(client_acting_as: Any, db: Any) -> None:
    applied = store.apply_for_hub({"name": "Catford Hub", "address": "1 Catford Broadway", "postcode": "SE6 4AA",
                                   "borough": "E09000023", "opening_times": "Weekdays", "offers_devices": True,
                                   "contact_email": "hi@catford.example"}, NOW)
    client = client_acting_as("inclusion_team", "hub")
    check_page(client.get("/get-online/team/"))
    check_page(client.get(f"/get-online/team/hubs/{applied.pk}"))
    refused = client.post(f"/get-online/team/hubs/{applied.pk}", {"d-decision": "refuse", "d-note": ""})
    assert refused.status_code == 400 and check_page(refused).error_summary
    assert client.post(f"/get-online/team/hubs/{applied.pk}", {"d-decision": "approve"}).status_code == 302
    hub = Hub.objects.get(pk=applied.pk)
    assert hub.status == "approved" and hub.organisation.type == "community"
    page = client.post(f"/get-online/team/hubs/{hub.pk}", {"s-email": "worker@catford.example"})
    check_page(page)
    assert "one-time password" in page.content.decode()
    assert hub.organisation.role_grants.filter(role="inclusion_worker", user__email="worker@catford.example").exists()


def test_the_team_loads_codes_and_a_refused_file_lists_its_lines(client_acting_as: Any, db: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_acting_as("inclusion_team", "hub")
    check_page(client.get("/get-online/team/stock"))
    first = SimpleUploadedFile("a.csv", b"code\nV1\nV2\n", content_type="text/csv")
    assert client.post("/get-online/team/stock/codes", {"c-kind": "voucher", "c-operator": "Op", "c-file": first}).status_code == 302
    assert "2 codes loaded" in client.get("/get-online/team/stock").content.decode()
    assert "2 codes loaded" not in client.get("/get-online/team/stock").content.decode()  # said once
    again = SimpleUploadedFile("b.csv", b"code\nV3\nV2\n", content_type="text/csv")
    page = client.post("/get-online/team/stock/codes", {"c-kind": "voucher", "c-operator": "Op", "c-file": again})
    assert page.status_code == 400
    check_page(page)
    assert "code_already_loaded" in page.content.decode()


def test_the_report_shows_lewisham_and_downloads_carry_no_references(
        client_acting_as: Any, stocked: Any, person: Any) -> None:
    store.issue_code(stocked, person, "sim", "", None, NOW)
    client = client_acting_as("inclusion_team", "hub")
    page = client.get("/get-online/report?month=2026-11")
    check_page(page, forbidden=(person.reference,))
    html = page.content.decode()
    assert "Monthly report, November 2026" in html and "<svg" in html
    csv_text = client.get("/get-online/report/report.csv?month=2026-11").content.decode()
    lewisham = next(line for line in csv_text.splitlines() if line.startswith("Lewisham,"))
    assert lewisham == "Lewisham,0,1,0,0"
    funder = client.get("/get-online/report/funder.xlsx?month=2026-11")
    assert funder["Content-Disposition"].endswith('.xlsx"') and person.reference.encode() not in funder.content
    assert person.reference not in client.get("/get-online/report/funder.csv?month=2026-11").content.decode()


def test_pages_refuse_the_wrong_role(client_acting_as: Any, db: Any) -> None:
    client = client_acting_as("analyst", "camden")
    for url in ("/get-online/hub/", "/get-online/team/", "/get-online/team/stock", "/get-online/report"):
        assert client.get(url).status_code == 403, url


def test_the_home_pages_offer_the_rooms_tasks(client_acting_as: Any, stocked: Any) -> None:
    worker = client_acting_as("inclusion_worker", "lewisham-digital-hub").get("/home").content.decode()
    assert "/get-online/hub/people/new" in worker
    team = client_acting_as("inclusion_team", "hub", email="team@hub.test").get("/home").content.decode()
    assert "/get-online/report" in team


def test_times_are_london_times(db: Any) -> None:
    assert store.london_now().tzinfo == ZoneInfo("Europe/London")
    assert abs((store.london_now() - timezone.now()).total_seconds()) < 60
    assert date(2026, 11, 1) < NOW.date()


def test_a_request_the_pool_cannot_meet_is_refused_on_the_page(client_acting_as: Any, hub: Any) -> None:
    stock_request = store.request_stock(hub, "sim", 5, None, NOW)
    client = client_acting_as("inclusion_team", "hub")
    page = client.post(f"/get-online/team/requests/{stock_request.pk}")
    assert page.status_code == 400
    check_page(page)
    assert "Only 0 unallocated codes are left" in page.content.decode()
    assert client.get("/get-online/team/stock?done=Call+0800+now").content.decode().count("Call 0800") == 0


def test_the_team_sets_a_hubs_cap_of_open_requests(client_acting_as: Any, hub: Any) -> None:
    client = client_acting_as("inclusion_team", "hub")
    wrong = client.post(f"/get-online/team/hubs/{hub.pk}", {"c-cap": "0"})
    assert wrong.status_code == 400 and check_page(wrong).error_summary
    assert client.post(f"/get-online/team/hubs/{hub.pk}", {"c-cap": "1"}).status_code == 302
    store.request_stock(Hub.objects.get(pk=hub.pk), "sim", 5, None, NOW)
    worker = client_acting_as("inclusion_worker", hub.organisation_id)
    page = worker.post("/get-online/hub/request", {"kind": "voucher", "quantity": "5"})
    assert page.status_code == 400
    check_page(page)
    assert "its cap is 1" in page.content.decode()
