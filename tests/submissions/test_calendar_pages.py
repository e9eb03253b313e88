"""The calendar, its entries, the uploader's "what is due", the reminders command and the quality pages,
on the database, with "today" set by the test (never the wall clock)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from boroughhub.agreements.models import Notification
from boroughhub.audit.models import AuditEntry
from boroughhub.organisations.models import Organisation, User
from boroughhub.submissions.cycle import store
from boroughhub.submissions.models import CalendarEntry, Submission
from boroughhub.submissions.store import start_submission
from boroughhub.submissions.tasks import process_submission
from tests.pagecheck import check_page
from tests.sources.builders import write_submission
from tests.submissions.conftest import shared_chain_rows

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 12)


@pytest.fixture
def today(monkeypatch):
    """The pages' and the command's clock, set to ``TODAY`` (a test may set it again)."""
    def set_today(day: date) -> None:
        monkeypatch.setattr(store, "london_today", lambda: day)

    set_today(TODAY)
    return set_today


@pytest.fixture
def calendar(db):
    """Camden (H-CLIC, due on the 10th), the GLA (CHAIN, due on the 5th) and provider A (InForm)."""
    first = date(2026, 6, 1)
    return {org: CalendarEntry.objects.create(organisation_id=org, source=source, due_day=day, first_period_start=first)
            for org, source, day in (("camden", "hclic", 10), ("gla", "chain", 5), ("provider-a", "inform", 10))}


def submission(org: str, source: str, status: str, period_end: date, uploaded: datetime) -> Submission:
    organisation = Organisation.objects.get(pk=org)
    user = User.objects.filter(email=f"uploader@{org}.test").first() or User.objects.create_user(f"uploader@{org}.test")
    return Submission.objects.create(organisation=organisation, uploaded_by=user, role="uploader", source=source,
                                     supplier_code=organisation.supplier_code, status=status, period_end=period_end,
                                     uploaded_at=uploaded)


@pytest.fixture
def history(calendar):
    """Camden's November accepted 2 days late; provider A's November refused; the GLA sent nothing."""
    submission("camden", "hclic", "accepted", date(2026, 11, 30), datetime(2026, 12, 12, 9, tzinfo=UTC))
    submission("camden", "hclic", "accepted", date(2026, 10, 31), datetime(2026, 11, 3, 9, tzinfo=UTC))
    submission("provider-a", "inform", "rejected", date(2026, 11, 30), datetime(2026, 12, 8, 9, tzinfo=UTC))


def test_the_hub_data_manager_sees_every_supplier_by_period_grouped(client_acting_as, history, today):
    manager = client_acting_as("data_manager", "hub")
    page = manager.get("/submissions/calendar/")
    assert page.status_code == 200
    check_page(page)
    html = page.content.decode()
    for heading in ("CHAIN (Greater London Authority) (1)", "Local authorities (1)",
                    "Hostel and accommodation providers (1)"):
        assert heading in html
    assert html.index("Greater London Authority") < html.index("London Borough of Camden")
    assert "Dec 2026" in html and "Jul 2026" in html and "Jun 2026" not in html  # six months, newest first
    assert "2 days late" in html and "Refused" in html and "Late" in html
    assert html.count("Change<span") == 3 and "Add a supplier to the calendar" in html
    home = manager.get("/home").content.decode()
    assert 'href="/submissions/calendar/"' in home and 'href="/submissions/quality/"' in home
    assert "November 2026: late: due 5 December 2026, 7 days ago" in html  # the GLA's, last due
    assert "November 2026: accepted, 2 days late" in html and "December 2026: due in 24 days" in html
    summary = html[html.index("The period last due"):html.index("Sort by")]
    assert "Accepted" in summary and "1 of 3" in summary and "Late" in summary and "Refused" in summary
    CalendarEntry.objects.create(organisation_id="westminster", source="hclic", due_day=10,
                                 first_period_start=date(2026, 6, 1))
    by_name = manager.get("/submissions/calendar/").content.decode()
    assert by_name.index("London Borough of Camden") < by_name.index("Westminster City Council")
    overdue = manager.get("/submissions/calendar/?order=overdue").content.decode()
    check_page(overdue)
    # Westminster's November is 2 days late; Camden's was accepted: the late one comes first.
    assert overdue.index("Westminster City Council") < overdue.index("London Borough of Camden")
    assert "<strong>Most overdue first</strong>" in overdue


def test_an_upload_claiming_another_suppliers_code_counts_for_its_uploader_only(history, today):
    claimed = submission("camden", "hclic", "rejected", date(2026, 11, 30), datetime(2026, 12, 4, 9, tzinfo=UTC))
    Submission.objects.filter(pk=claimed.pk).update(supplier_code="E09000033")  # Westminster's code
    CalendarEntry.objects.create(organisation_id="westminster", source="hclic", due_day=10,
                                 first_period_start=date(2026, 6, 1))
    rows = {row.entry.organisation_id: row for row in store.calendar_rows(
        store.calendar_entries(), TODAY, store.month_columns(TODAY))}
    assert rows["westminster"].last_due.state.value == "late" and rows["westminster"].last_due.uploads == 0
    assert rows["camden"].last_due.uploads == 2


def test_missing_after_four_weeks_and_other_organisations_see_only_their_own_rows(client_acting_as, history, today):
    today(date(2027, 2, 10))
    html = client_acting_as("data_manager", "hub").get("/submissions/calendar/").content.decode()
    assert "Missing" in html  # the GLA's November, due 5 December, still not sent
    camden_manager = client_acting_as("data_manager", "camden")
    page = camden_manager.get("/submissions/calendar/")
    check_page(page)
    html = page.content.decode()
    assert "London Borough of Camden" in html and "Greater London Authority" not in html
    assert "Change<span" not in html and "Add a supplier" not in html  # nothing offered that is refused
    assert camden_manager.get(f"/submissions/calendar/{CalendarEntry.objects.get(organisation_id='camden').pk}"
                              ).status_code == 403


def test_uploaders_see_what_is_due_and_late_but_not_the_calendar(client_acting_as, history, today):
    today(date(2026, 12, 5))
    camden = client_acting_as("uploader", "camden")
    page = camden.get("/submissions/")
    check_page(page)
    html = page.content.decode()
    assert "H-CLIC for November 2026: due in 5 days" in html
    assert "/submissions/calendar/" not in html and "/submissions/quality/" not in html
    assert camden.get("/submissions/calendar/").status_code == 403
    assert camden.get("/submissions/quality/").status_code == 403
    today(date(2026, 12, 12))
    html = client_acting_as("uploader", "gla").get("/submissions/").content.decode()
    assert "CHAIN for November 2026: late: due 5 December 2026, 7 days ago" in html
    assert "CHAIN for December 2026: due in 24 days" in html


def test_changing_an_entry_checks_each_field_and_is_audited(client_acting_as, calendar, today):
    manager = client_acting_as("data_manager", "hub")
    entry = calendar["camden"]
    address = f"/submissions/calendar/{entry.pk}"
    check_page(manager.get(address))
    bad = manager.post(address, {"source": "hclic", "frequency": "weekly", "due_day": "31", "first_month": "April"})
    assert bad.status_code == 400
    facts = check_page(bad)
    assert facts.error_summary and facts.field_errors == 3
    html = bad.content.decode()
    for message in ("Select every month or every quarter", "Enter a due day from 1 to 28",
                    "Enter the first month as year and month, for example 2026-04"):
        assert message in html
    entry.refresh_from_db()
    assert entry.due_day == 10  # bad input changes nothing
    good = manager.post(address, {"source": "hclic", "frequency": "quarterly", "due_day": "15", "first_month": "2026-04"})
    assert good.status_code == 302 and good["Location"] == "/submissions/calendar/"
    entry.refresh_from_db()
    assert (entry.frequency, entry.due_day, entry.first_period_start) == ("quarterly", 15, date(2026, 4, 1))
    logged = AuditEntry.objects.filter(event_type="registry").order_by("-seq").first()
    assert logged.payload["transition"] == "calendar_entry_changed"
    assert logged.payload["changes"] == {"frequency": "quarterly", "due_day": "15", "first_period_start": "2026-04-01"}
    html = manager.get("/submissions/calendar/").content.decode()
    assert "every quarter, due on day 15" in html and "No period ends this month" in html


def test_adding_a_supplier_offers_grouped_suppliers_and_refuses_a_second_entry(client_acting_as, calendar, today):
    manager = client_acting_as("data_manager", "hub")
    page = manager.get("/submissions/calendar/add")
    check_page(page)
    html = page.content.decode()
    assert '<optgroup label="Local authorities">' in html and "London Borough of Southwark" in html
    twice = manager.post("/submissions/calendar/add", {"organisation": "camden", "source": "hclic",
                                                        "frequency": "monthly", "due_day": "10", "first_month": "2026-01"})
    assert twice.status_code == 400 and "already has a calendar entry for H-CLIC" in twice.content.decode()
    check_page(twice)
    added = manager.post("/submissions/calendar/add", {"organisation": "southwark", "source": "hclic",
                                                        "frequency": "monthly", "due_day": "12", "first_month": "2026-11"})
    assert added.status_code == 302
    assert CalendarEntry.objects.get(organisation_id="southwark").due_day == 12


def test_remind_sends_each_reminder_once_to_the_suppliers_uploaders(client_acting_as, history):
    out = io.StringIO()
    call_command("submissions", "remind", "--today", "2026-12-06", stdout=out)
    text = out.getvalue()
    assert "gla uploader: CHAIN for November 2026 is late: it was due on 5 December 2026" in text
    assert "provider-a uploader: InForm for November 2026 is due on 10 December 2026" in text
    # Camden's November is accepted on the 12th, which on the 6th is still to come.
    assert "camden uploader: H-CLIC for November 2026 is due on 10 December 2026" in text
    sent = Notification.objects.filter(kind__startswith="calendar_")
    assert {(n.organisation_id, n.role, n.kind) for n in sent} >= {("gla", "uploader", "calendar_overdue"),
                                                                   ("provider-a", "uploader", "calendar_due_soon")}
    again = io.StringIO()
    call_command("submissions", "remind", "--today", "2026-12-06", stdout=again)
    assert again.getvalue().strip().endswith("0 calendar reminders sent for 6 December 2026.")
    html = client_acting_as("uploader", "gla").get("/submissions/").content.decode()
    assert "CHAIN for November 2026 is late: it was due on 5 December 2026" in html


def test_remind_says_how_to_write_the_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("submissions", "remind", "--today", "6/12/2026")


def test_the_demo_calendar_has_each_supplier_with_an_uploader(make_user):
    make_user("uploader@camden.example", "camden", "uploader")
    make_user("uploader@gla.example", "gla", "uploader")
    make_user("analyst@lambeth.example", "lambeth", "analyst")
    assert store.seed_demo_calendar(TODAY) == 2
    entries = {e.organisation_id: (e.source, e.first_period_start) for e in CalendarEntry.objects.all()}
    assert entries == {"camden": ("hclic", date(2025, 12, 1)), "gla": ("chain", date(2025, 12, 1))}
    assert store.seed_demo_calendar(TODAY) == 0


def upload_chain(person, folder: Path) -> Submission:
    started = start_submission(user=person("uploader", "gla"), organisation=Organisation.objects.get(pk="gla"),
                               role="uploader", channel="cli")
    return process_submission(started.id, folder, follow_up=False)


def test_quality_counts_are_taken_at_load_and_compared_by_period(
        demo_agreements, demo_people, client_acting_as, tmp_path, today):
    person = demo_people
    november = write_submission(tmp_path / "nov", "chain", shared_chain_rows(),
                                extract_period_start="2023-01-01", extract_period_end="2024-11-30")
    rows = shared_chain_rows()
    people = rows["chain_people"]
    people[0]["ni_number"] = ""
    people[0]["date_of_birth"] = "1970-01-01"
    december = write_submission(tmp_path / "dec", "chain", rows,
                                extract_period_start="2023-01-01", extract_period_end="2024-12-31")
    first, second = upload_chain(person, november), upload_chain(person, december)
    assert (first.status, second.status) == ("accepted", "accepted"), second.report_summary["lines"]
    assert second.period_end == date(2024, 12, 31)
    counted = len(people)
    assert second.quality["people"] == counted and second.quality["missing_ni_number"] >= 1
    assert second.quality["born_1_january"] >= 1
    assert set(second.quality) == {"people", "missing_ni_number", "missing_date_of_birth", "born_1_january"}
    CalendarEntry.objects.create(organisation_id="gla", source="chain", due_day=5, first_period_start=date(2024, 6, 1))
    today(date(2025, 1, 8))  # after December's due date: January is being collected
    manager = client_acting_as("data_manager", "hub")
    forbidden = tuple(p[k] for p in people for k in ("first_name", "last_name", "ni_number") if p.get(k))
    page = manager.get("/submissions/quality/")
    check_page(page, forbidden=forbidden)
    html = page.content.decode()
    assert "Greater London Authority" in html and "December 2024" in html
    entry = CalendarEntry.objects.get(organisation_id="gla")
    detail = manager.get(f"/submissions/quality/{entry.pk}")
    check_page(detail, forbidden=forbidden)
    html = detail.content.decode()
    share = round(100 * second.quality["missing_ni_number"] / counted, 1)
    assert f"{share}%" in html and "November 2024" in html and "points" in html
    assert "Nothing accepted for this period" in html  # January, and the months before November


def test_the_hub_data_manager_filters_submissions_by_a_grouped_supplier_list(client_acting_as, history):
    manager = client_acting_as("data_manager", "hub")
    page = manager.get("/submissions/")
    check_page(page)
    html = page.content.decode()
    assert '<optgroup label="Local authorities">' in html and '<optgroup label="Hostel and accommodation providers">' in html
    assert html.count("<tr class=\"govuk-table__row\">") == 4  # a heading row and three submissions
    camden = manager.get("/submissions/?organisation=camden").content.decode()
    assert camden.count("<tr class=\"govuk-table__row\">") == 3 and "Example accommodation provider A</td>" not in camden
    assert '<option value="camden" selected>' in camden
    unknown = manager.get("/submissions/?organisation=nobody").content.decode()
    assert unknown.count("<tr class=\"govuk-table__row\">") == 4
    uploader = client_acting_as("uploader", "camden").get("/submissions/?organisation=provider-a").content.decode()
    assert "<optgroup" not in uploader and "Example accommodation provider A" not in uploader


def test_empty_calendar_and_quality_pages_say_what_to_do(client_acting_as, today):
    manager = client_acting_as("data_manager", "hub")
    page = manager.get("/submissions/calendar/")
    check_page(page)
    assert "No supplier is on the calendar yet. Add each supplier" in page.content.decode()
    quality = manager.get("/submissions/quality/")
    check_page(quality)
    assert "No supplier is on the submission calendar yet" in quality.content.decode()
    assert manager.get("/submissions/quality/999").status_code == 404
    assert manager.get("/submissions/calendar/999").status_code == 404
