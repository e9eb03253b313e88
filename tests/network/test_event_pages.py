"""Events through their pages: an organiser creates a Data Week event with 2 places, three people register
(the third waits), one gives up their place, the first waiting is promoted and told, the calendar file
downloads; audiences, check-in, the attendee list, cancellation and closing at the start time."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from boroughhub.agreements import Notification
from boroughhub.audit import AuditEntry
from boroughhub.network import network_clock_set_to
from boroughhub.network.models import Event, EventSeries, Registration
from tests.pagecheck import check_page

pytestmark = pytest.mark.django_db

FORM = {"title": "Open data for community groups", "description": "How to find and use London's open data.",
        "audience": "public", "attendance": "venue", "venue": "City Hall, London E16 1ZE", "capacity": "2",
        "date-day": "16", "date-month": "6", "date-year": "2027", "starts": "18:00", "ends": "19:30",
        "series": "london-data-week"}


@pytest.fixture
def data_week(db):
    return EventSeries.objects.create(slug="london-data-week", title="London Data Week", description="30+ events")


def create_event(acting_as, **changes: str) -> Event:
    organiser = acting_as("event_organiser", "camden")
    response = organiser.post("/events/new", {**FORM, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Event.objects.get(slug=response["Location"].split("/")[2])


def test_the_whole_wait_list_journey(client, acting_as, data_week):
    event = create_event(acting_as)
    assert event.starts_at == datetime(2027, 6, 16, 17, 0, tzinfo=UTC)  # 18:00 BST
    assert event.series == data_week and event.capacity == 2
    page = client.get(f"/events/{event.slug}/?done=created")
    check_page(page)
    assert "Event created" in page.content.decode()

    people = [("apprentice_manager", "camden"), ("project_lead", "lambeth"), ("security_lead", "westminster")]
    for role, org in people:
        response = acting_as(role, org).post(f"/events/{event.slug}/register")
        assert response.status_code == 302
    statuses = [r.status for r in event.registrations.order_by("queued_at", "id")]
    assert statuses == ["registered", "registered", "waitlisted"]
    waiting_page = acting_as("security_lead", "westminster").get(f"/events/{event.slug}/")
    assert "You are on the wait-list" in waiting_page.content.decode()

    acting_as("apprentice_manager", "camden").post(f"/events/{event.slug}/give-up-place")
    promoted = Registration.objects.get(event=event, user__email="security_lead@westminster.test")
    assert promoted.status == "registered"
    message = Notification.objects.get(user=promoted.user, kind="event_place_offered")
    assert event.title in message.subject and message.link == f"/events/{event.slug}/"
    mine = acting_as("security_lead", "westminster").get("/events/mine")
    check_page(mine)
    assert f"You have a place at {event.title}" in mine.content.decode()
    assert AuditEntry.objects.filter(action="event_promoted").count() == 1

    ics = client.get(f"/events/{event.slug}/event.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(ics.content)
    [vevent] = parsed.walk("VEVENT")
    assert str(vevent["summary"]) == FORM["title"]
    assert vevent.decoded("dtstart") == event.starts_at
    feed = client.get("/events/series/london-data-week/series.ics")
    assert feed.status_code == 200 and event.slug.encode() in feed.content


def test_the_public_list_shows_public_events_without_sign_in_and_hides_the_others(client, acting_as, data_week):
    public = create_event(acting_as)
    members = create_event(acting_as, title="Data sharing agreements that work", audience="members")
    apprentices = create_event(acting_as, title="Apprentice meetup", audience="apprentices")
    client.logout()
    listing = client.get("/events/")
    check_page(listing)
    html = listing.content.decode()
    assert f'href="/events/{public.slug}/"' in html and members.title not in html and apprentices.title not in html
    assert client.get(f"/events/{members.slug}/").status_code == 404
    assert client.get(f"/events/{members.slug}/event.ics").status_code == 404
    series = client.get("/events/series/london-data-week/")
    check_page(series)
    assert members.title not in series.content.decode()
    analyst = acting_as("analyst", "camden")
    html = analyst.get("/events/").content.decode()
    assert members.title in html and apprentices.title not in html
    refused = analyst.post(f"/events/{apprentices.slug}/register")
    assert refused.status_code == 404 and not apprentices.registrations.exists()


def test_registration_closes_at_the_start_time(acting_as, data_week):
    event = create_event(acting_as)
    with network_clock_set_to(event.starts_at):
        response = acting_as("analyst", "camden").post(f"/events/{event.slug}/register")
        assert response.status_code == 409
        check_page(response)
        assert "Registration closed when the event started" in response.content.decode()
    assert not event.registrations.exists()


def test_check_in_and_the_attendee_list_for_the_organisers_organisation_only(acting_as, data_week):
    event = create_event(acting_as)
    acting_as("analyst", "lambeth").post(f"/events/{event.slug}/register")
    registration = event.registrations.get()
    assert acting_as("event_organiser", "lambeth").get(f"/events/{event.slug}/attendees").status_code == 404
    organiser = acting_as("event_organiser", "camden")
    page = organiser.get(f"/events/{event.slug}/attendees")
    check_page(page)
    assert organiser.post(f"/events/{event.slug}/attendees", {"registration": "x'1"}).status_code == 302
    organiser.post(f"/events/{event.slug}/attendees", {"registration": registration.pk})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    csv_text = organiser.get(f"/events/{event.slug}/attendees.csv").content.decode("utf-8-sig")
    assert "analyst@lambeth.test" in csv_text and "Registered" in csv_text and "7 December 2026 at 10:00" in csv_text
    book = load_workbook(BytesIO(organiser.get(f"/events/{event.slug}/attendees.xlsx").content))
    rows = list(book["Attendees"].iter_rows(values_only=True))
    assert rows[1][0] == "Name" and rows[2][1] == "analyst@lambeth.test" and rows[2][5]
    assert AuditEntry.objects.filter(action="attendees_exported").count() == 2
    assert organiser.get(f"/events/{event.slug}/attendees.pdf").status_code == 404
    attended = acting_as("analyst", "lambeth").get("/events/mine").content.decode()
    assert "Sessions you attended" in attended and event.title in attended.split("Sessions you attended")[1]


def test_cancelling_an_event_tells_everyone_registered_or_waiting(client, acting_as, data_week):
    event = create_event(acting_as, capacity="1")
    for role, org in (("analyst", "camden"), ("analyst", "lambeth")):
        acting_as(role, org).post(f"/events/{event.slug}/register")
    organiser = acting_as("event_organiser", "camden")
    check_page(organiser.get(f"/events/{event.slug}/cancel"))
    empty = organiser.post(f"/events/{event.slug}/cancel", {"reason": ""})
    check_page(empty)
    assert Event.objects.get(pk=event.pk).cancelled_at is None
    organiser.post(f"/events/{event.slug}/cancel", {"reason": "The speaker is unwell."})
    told = Notification.objects.filter(kind="event_cancelled")
    assert sorted(n.user.email for n in told) == ["analyst@camden.test", "analyst@lambeth.test"]
    assert all("The speaker is unwell." in n.body for n in told)
    mine = acting_as("analyst", "camden").get("/events/mine").content.decode()
    assert "the event is cancelled" in mine and f"Cancelled: {event.title}" in mine
    text = client.get(f"/events/{event.slug}/event.ics").content.decode()
    assert "STATUS:CANCELLED" in text
    again = acting_as("analyst", "westminster").post(f"/events/{event.slug}/register")
    assert again.status_code == 409


def test_a_bad_new_event_form_says_what_to_fix_and_creates_nothing(acting_as, data_week):
    organiser = acting_as("event_organiser", "camden")
    page = organiser.post("/events/new", {**FORM, "capacity": "none", "date-month": "13", "ends": "17:00",
                                          "venue": ""})
    facts = check_page(page)
    html = page.content.decode()
    assert facts.error_summary and "Enter a real date" in html and "Enter the venue" in html
    assert "whole number" in html and not Event.objects.exists()
    assert acting_as("analyst", "camden").get("/events/new").status_code == 403


def test_past_events_leave_the_list(client, acting_as, data_week):
    event = create_event(acting_as)
    with network_clock_set_to(event.ends_at + timedelta(minutes=1)):
        assert event.slug not in client.get("/events/").content.decode()


def test_more_places_promote_the_people_waiting(acting_as, data_week):
    event = create_event(acting_as, capacity="1")
    for org in ("camden", "lambeth", "westminster"):
        acting_as("analyst", org).post(f"/events/{event.slug}/register")
    organiser = acting_as("event_organiser", "camden")
    bad = organiser.post(f"/events/{event.slug}/attendees", {"step": "capacity", "capacity": "lots"})
    assert check_page(bad).error_summary
    organiser.post(f"/events/{event.slug}/attendees", {"step": "capacity", "capacity": "2"})
    statuses = {r.user.email: r.status for r in event.registrations.all()}
    assert statuses == {"analyst@camden.test": "registered", "analyst@lambeth.test": "registered",
                        "analyst@westminster.test": "waitlisted"}
    assert Notification.objects.filter(kind="event_place_offered").count() == 1


def test_an_organiser_starts_a_series_and_adds_an_event_to_it(client, acting_as):
    organiser = acting_as("event_organiser", "camden")
    check_page(organiser.get("/events/series/new"))
    assert check_page(organiser.post("/events/series/new", {"title": "", "description": ""})).error_summary
    started = organiser.post("/events/series/new", {"title": "Innovation days", "description": "With senior leaders."})
    assert started["Location"] == "/events/series/innovation-days/"
    event = create_event(acting_as, series="innovation-days", title="Innovation day one")
    assert event.series.slug == "innovation-days"
    page = client.get("/events/series/innovation-days/")
    check_page(page)
    assert "Innovation day one" in page.content.decode()
    assert acting_as("analyst", "camden").get("/events/series/new").status_code == 403


def test_times_are_entered_in_london_time_either_side_of_the_clock_change(acting_as, data_week):
    winter = create_event(acting_as, **{"date-day": "12", "date-month": "1", "date-year": "2027"})
    summer = create_event(acting_as, title="Summer talk")
    assert winter.starts_at == datetime(2027, 1, 12, 18, 0, tzinfo=UTC)  # GMT
    assert summer.starts_at == datetime(2027, 6, 16, 17, 0, tzinfo=UTC)  # BST
    page = acting_as("analyst", "camden").get(f"/events/{winter.slug}/").content.decode()
    assert "Tuesday 12 January 2027, 18:00 to 19:30" in page
