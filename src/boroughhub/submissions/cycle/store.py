"""The database side of the submission calendar: the supplier × period table, the quality table,
the reminders through the hub's one notification outbox, and the demo's calendar.

``london_today`` is the one clock of these pages and commands; tests set it (STYLE.md 17), and the
``submissions remind`` command takes ``--today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from boroughhub.agreements import notify
from boroughhub.submissions.models import CalendarEntry, Submission
from boroughhub.submissions.statuses import LOADED, RUNNING, SOURCE_LABELS, Status

from .calendar import (
    Frequency,
    Outcome,
    Period,
    PeriodStatus,
    Reminder,
    Schedule,
    Upload,
    outstanding,
    period_status,
    reminders_due,
)
from .quality import PeriodQuality, compare, warnings_by_rule

LONDON = ZoneInfo("Europe/London")
#: Periods shown on the calendar and quality pages, newest first.
PERIODS_SHOWN = 6
#: Suppliers grouped on the pages in this order (the organisation types of organisations/models.py).
SUPPLIER_GROUPS = (("gla", "CHAIN (Greater London Authority)"), ("borough", "Local authorities"),
                   ("provider", "Hostel and accommodation providers"))


def london_today() -> date:
    return datetime.now(UTC).astimezone(LONDON).date()


def calendar_entries(organisation_id: str | None = None) -> QuerySet[CalendarEntry]:
    """Every entry, or one organisation's; suppliers without a supplier code cannot submit and are left out."""
    entries = CalendarEntry.objects.select_related("organisation").exclude(organisation__supplier_code="")
    return entries if organisation_id is None else entries.filter(organisation_id=organisation_id)


def _outcome(status: str) -> Outcome:
    state = Status(status)
    if state in LOADED:
        return Outcome.ACCEPTED
    return Outcome.RECEIVED if state in RUNNING else Outcome.REFUSED


def uploads_of(supplier_codes: list[str]) -> list[Upload]:
    """The uploads of these suppliers, by the uploading organisation's own code: a rejected upload whose
    manifest claimed another supplier's code is its uploader's refusal, never the other supplier's."""
    rows = Submission.objects.filter(organisation__supplier_code__in=supplier_codes).values_list(
        "organisation__supplier_code", "source", "period_end", "uploaded_at", "status")
    return [Upload(code, source, period_end, uploaded_at.astimezone(LONDON).date(), _outcome(status))
            for code, source, period_end, uploaded_at, status in rows]


def month_columns(today: date, count: int = PERIODS_SHOWN) -> list[Period]:
    """The month holding ``today`` and the ones before it, newest first: the columns of the table."""
    columns = [Period.holding(today, Frequency.MONTHLY)]
    while len(columns) < count:
        columns.append(columns[-1].previous())
    return columns


def period_in(schedule: Schedule, month: Period) -> Period | None:
    """The schedule's period that ends with ``month`` (a quarterly supplier has one every third month)."""
    period = Period.holding(month.start, schedule.frequency)
    if period.end != month.end or period.end < schedule.first_period_start:
        return None
    return period


@dataclass(frozen=True)
class CalendarRow:
    entry: CalendarEntry
    schedule: Schedule
    current: PeriodStatus  # the period being collected
    last_due: PeriodStatus | None  # the period whose due date passed most recently
    cells: list[PeriodStatus | None]  # one per column; None where no period of the schedule ends

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.schedule.source, self.schedule.source)


def calendar_rows(entries: QuerySet[CalendarEntry], today: date, columns: list[Period]) -> list[CalendarRow]:
    entries_list = list(entries)
    uploads = uploads_of([e.organisation.supplier_code for e in entries_list])
    rows = []
    for entry in entries_list:
        schedule = entry.as_schedule()
        current_period = schedule.current_period(today)
        current = period_status(schedule, current_period, uploads, today)
        before = current_period.previous()
        last_due = period_status(schedule, before, uploads, today) if before.end >= schedule.first_period_start else None
        cells = []
        for month in columns:
            period = period_in(schedule, month)
            cells.append(period_status(schedule, period, uploads, today) if period is not None else None)
        rows.append(CalendarRow(entry, schedule, current, last_due, cells))
    return rows


def outstanding_for(organisation_id: str, today: date) -> list[tuple[str, PeriodStatus]]:
    """(source label, status) of what an organisation owes: this period, and earlier ones not accepted."""
    entries = list(calendar_entries(organisation_id))
    uploads = uploads_of([e.organisation.supplier_code for e in entries])
    return [(SOURCE_LABELS.get(e.source, e.source), status)
            for e in entries for status in outstanding(e.as_schedule(), uploads, today)]


def grouped(rows: list[Any], type_of: Any) -> list[tuple[str, list[Any]]]:
    """Rows under their supplier group's heading (CHAIN, local authorities, providers, then others)."""
    groups: list[tuple[str, list[Any]]] = []
    known = {kind for kind, _ in SUPPLIER_GROUPS}
    for kind, heading in (*SUPPLIER_GROUPS, ("", "Other suppliers")):
        members = [row for row in rows if (type_of(row) == kind if kind else type_of(row) not in known)]
        if members:
            groups.append((heading, members))
    return groups


@dataclass(frozen=True)
class QualityRow:
    entry: CalendarEntry
    period: Period
    submission: Submission | None
    quality: PeriodQuality | None


def quality_rows(entry: CalendarEntry, today: date, count: int = PERIODS_SHOWN) -> list[QualityRow]:
    """One row per recent period of a supplier (newest first): its accepted submission and its quality,
    compared with the period before. A period with several accepted submissions counts the last one."""
    schedule = entry.as_schedule()
    periods = schedule.recent_periods(today, count + 1)  # one more, to compare the oldest shown with
    accepted = list(Submission.objects.filter(
        organisation=entry.organisation, source=schedule.source, period_end__isnull=False,
        status=Status.ACCEPTED.value).order_by("uploaded_at").defer("report_rows"))
    rows: list[QualityRow] = []
    before: PeriodQuality | None = None
    for period in reversed(periods):
        latest = [s for s in accepted if period.start <= s.period_end <= period.end]  # type: ignore[operator]
        submission = latest[-1] if latest else None
        quality = None
        if submission is not None:
            quality = compare(submission.total_rows(), submission.quality or {},
                              warnings_by_rule(submission.report_summary or {}), before)
        rows.append(QualityRow(entry, period, submission, quality))
        before = quality
    return list(reversed(rows))[:count]


def send_calendar_reminders(today: date) -> list[tuple[str, Reminder]]:
    """Notify each supplier's uploaders of what is due soon or late (each reminder once; see ``Reminder.key``)."""
    entries = {e.organisation.supplier_code + ":" + e.source: e for e in calendar_entries()}
    schedules = [e.as_schedule() for e in entries.values()]
    uploads = uploads_of([s.supplier_code for s in schedules])
    sent: list[tuple[str, Reminder]] = []
    for reminder in reminders_due(schedules, uploads, today, SOURCE_LABELS):
        organisation_id = entries[f"{reminder.entry.supplier_code}:{reminder.entry.source}"].organisation_id
        body = (f"Upload the extract for {reminder.period.label} on the Submissions page. "
                "If you cannot send it on time, tell the hub's data managers.")
        if notify(organisation_id, "uploader", f"calendar_{reminder.kind}", reminder.subject, body,
                  link="/submissions/", key=reminder.key):
            sent.append((organisation_id, reminder))
    return sent


#: What each kind of supplier sends in the demo, and the day of the following month it is due.
DEMO_CALENDAR = {"gla": ("chain", 5), "borough": ("hclic", 10), "provider": ("inform", 10)}


def seed_demo_calendar(today: date) -> int:
    """A monthly calendar entry for every organisation with a supplier code and an uploader, from the
    month a year before ``today``; entries already there (perhaps edited) are kept. Returns how many were new."""
    from boroughhub.organisations import Organisation

    first = Period.holding(today, Frequency.MONTHLY)
    for _ in range(12):
        first = first.previous()
    suppliers = Organisation.objects.exclude(supplier_code="").filter(
        type__in=DEMO_CALENDAR, role_grants__role="uploader").distinct()
    created = 0
    for organisation in suppliers:
        source, due_day = DEMO_CALENDAR[organisation.type]
        _, new = CalendarEntry.objects.get_or_create(
            organisation=organisation, source=source,
            defaults={"frequency": Frequency.MONTHLY.value, "due_day": due_day, "first_period_start": first.start})
        created += int(new)
    return created
