"""The Apprentice Hub through its pages: joining with what to share, the directory (shared fields only),
opportunities with closing dates, career support near the end date, sessions attended."""

from datetime import date, timedelta

import pytest

from boroughhub.network.models import Apprentice, Event, Opportunity, Registration
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def join(acting_as, org: str, shared: list[str], end: date, name: str = "Amara Khan", standard: str = "Data analyst"):
    client = acting_as("apprentice", org)
    response = client.post("/apprentices/profile", {
        "name": name, "standard": standard, "level": "4", "cohort": "2026 spring", "interests": "maps",
        "end-day": str(end.day), "end-month": str(end.month), "end-year": str(end.year), "shared": shared})
    assert response.status_code == 302, response.content.decode()[:1500]
    return client


def test_joining_and_the_directory_shows_only_what_each_shares(acting_as):
    client = acting_as("apprentice", "camden")
    check_page(client.get("/apprentices/profile"))
    join(acting_as, "camden", ["name", "borough", "standard", "cohort"], TODAY + timedelta(days=400))
    join(acting_as, "lambeth", ["borough", "cohort"], TODAY + timedelta(days=400), name="Ben Jones")
    member = acting_as("analyst", "westminster")
    page = member.get("/apprentices/directory", {"borough": "camden", "standard": "Data analyst"})
    check_page(page)
    html = page.content.decode()
    assert "Amara Khan" in html and "1 apprentice" in html
    everyone = member.get("/apprentices/directory").content.decode()
    assert "Ben Jones" not in everyone and "apprentice@lambeth.test" not in everyone and "2 apprentices" in everyone
    assert "Lambeth" in everyone
    join(acting_as, "westminster", [], TODAY + timedelta(days=400), name="Cara Private")
    private = acting_as("analyst", "westminster").get("/apprentices/directory")
    check_page(private)
    html = private.content.decode()
    assert "An apprentice who shares no details" in html and "Cara Private" not in html and "3 apprentices" in html


def test_a_bad_profile_says_what_to_fix_and_saves_nothing(acting_as):
    page = acting_as("apprentice", "camden").post("/apprentices/profile", {"name": "A", "level": "9",
                                                                          "end-day": "40", "end-month": "1",
                                                                          "end-year": "2027"})
    facts = check_page(page)
    assert facts.error_summary and "Enter a level from 2 to 7" in page.content.decode()
    assert not Apprentice.objects.exists()


def test_near_the_end_date_an_apprentice_sees_career_support_and_open_roles(acting_as):
    manager = acting_as("apprentice_manager", "camden")
    posted = manager.post("/apprentices/opportunities/new", {
        "title": "Junior data analyst", "kind": "job", "description": "A permanent role in Camden.",
        "closes-day": "31", "closes-month": "1", "closes-year": "2027"})
    assert posted.status_code == 302
    late = manager.post("/apprentices/opportunities/new", {
        "title": "Too late", "kind": "job", "description": "x", "closes-day": "1", "closes-month": "1",
        "closes-year": "2026"})
    check_page(late)
    assert "today or later" in late.content.decode() and Opportunity.objects.count() == 1
    near = join(acting_as, "camden", ["name"], TODAY + timedelta(days=45))
    hub = near.get("/apprentices/")
    check_page(hub)
    html = hub.content.decode()
    assert 'id="career-support"' in html and "Junior data analyst" in html.split('id="career-support"')[1]
    far = join(acting_as, "lambeth", ["name"], TODAY + timedelta(days=500), name="Ben Jones")
    assert 'id="career-support"' not in far.get("/apprentices/").content.decode()
    check_page(far.get("/apprentices/opportunities"))
    assert acting_as("analyst", "camden").get("/apprentices/opportunities/new").status_code == 403


def test_sessions_attended_are_the_events_checked_in_at(acting_as):
    client = join(acting_as, "camden", ["name"], TODAY + timedelta(days=400))
    apprentice = Apprentice.objects.get()
    event = Event.objects.create(slug="meetup", title="Apprentice meetup", description="x", audience="apprentices",
                                 organisation_id="hub", capacity=10, starts_at="2026-11-02T17:00Z",
                                 ends_at="2026-11-02T19:00Z", changed_at="2026-10-01T09:00Z")
    Registration.objects.create(event=event, user=apprentice.user, organisation_id="camden", role="apprentice",
                                status="registered", queued_at="2026-10-20T09:00Z", checked_in_at="2026-11-02T17:05Z")
    html = client.get("/apprentices/").content.decode()
    assert "Apprentice meetup, 2 November 2026" in html.split('id="sessions-attended"')[1]
    rows = client.get("/apprentices/sessions-attended.csv").content.decode("utf-8-sig").splitlines()
    assert rows == ["Date,Session,Run by,Start (London time),End (London time),Checked in at",
                    "2 November 2026,Apprentice meetup,boroughhub collaboration office,17:00,19:00,17:05"]


def test_the_manager_sees_their_organisation_s_apprentices_only(acting_as):
    join(acting_as, "camden", [], TODAY + timedelta(days=400))
    join(acting_as, "lambeth", [], TODAY + timedelta(days=400), name="Ben Jones")
    page = acting_as("apprentice_manager", "camden").get("/apprentices/")
    check_page(page)
    html = page.content.decode()
    assert "Amara Khan" in html and "Ben Jones" not in html
