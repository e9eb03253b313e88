"""The submission calendar as rules: periods, due dates, and what each supplier owes for each period.

Plain Python: the database side (``cycle.store``) turns calendar entries and submissions into the
values here, and every answer takes ``today`` as an argument, so nothing depends on the wall clock.

A submission counts for the period that holds its manifest's ``extract_period_end`` (what the
supplier says the extract covers), not for the day it was uploaded: an extract for November sent on
3 January is November's, and late (docs/decisions/0085-submission-calendar.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def label(self) -> str:
        return {"monthly": "Every month", "quarterly": "Every quarter"}[self.value]

    @property
    def months(self) -> int:
        return 1 if self is Frequency.MONTHLY else 3


FREQUENCY_CHOICES = [(f.value, f.label) for f in Frequency]

#: Overdue for longer than this, with nothing accepted, a period's submission is "missing", not "late".
MISSING_AFTER_DAYS = 28
#: Uploaders are reminded this many days before the due date, and once the day after it.
REMIND_DAYS_BEFORE = 7


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A month or a quarter of data, from ``start`` to ``end`` inclusive."""

    start: date
    end: date
    frequency: Frequency

    @classmethod
    def holding(cls, day: date, frequency: Frequency) -> Period:
        first_month = day.month - (day.month - 1) % frequency.months
        start = date(day.year, first_month, 1)
        next_year, next_month = _add_months(start.year, start.month, frequency.months)
        return cls(start, date(next_year, next_month, 1) - timedelta(days=1), frequency)

    @property
    def key(self) -> str:
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.start:%B} to {self.end:%B %Y}"
        return f"{self.start:%B %Y}"

    def previous(self) -> Period:
        return Period.holding(self.start - timedelta(days=1), self.frequency)

    def next(self) -> Period:
        return Period.holding(self.end + timedelta(days=1), self.frequency)


@dataclass(frozen=True)
class Schedule:
    """What one supplier sends: a source, how often, and the day of the following month it is due."""

    supplier_code: str
    supplier_name: str
    supplier_type: str  # the organisation's type: borough | gla | provider | …
    source: str
    frequency: Frequency
    due_day: int  # 1–28 of the month after the period ends
    first_period_start: date

    def due_on(self, period: Period) -> date:
        year, month = _add_months(period.end.year, period.end.month, 1)
        return date(year, month, self.due_day)

    def recent_periods(self, today: date, count: int) -> list[Period]:
        """The period being collected on ``today`` and up to ``count - 1`` before it, newest first,
        none before the entry's first period."""
        current = self.current_period(today)
        periods: list[Period] = []
        period = current
        while len(periods) < count and period.end >= self.first_period_start:
            periods.append(period)
            period = period.previous()
        return periods

    def current_period(self, today: date) -> Period:
        """The oldest period not yet past its due date: the one the supplier is working on now."""
        period = Period.holding(today, self.frequency).previous()
        while self.due_on(period) < today:
            period = period.next()
        return period


class Outcome(StrEnum):
    """How an upload ended, as the calendar counts it."""

    ACCEPTED = "accepted"
    RECEIVED = "received"  # stored, being checked or loaded
    REFUSED = "refused"  # rejected, not permitted or failed: it has to be sent again


@dataclass(frozen=True)
class Upload:
    supplier_code: str
    source: str
    period_end: date | None
    uploaded_on: date
    outcome: Outcome


class State(StrEnum):
    ACCEPTED = "accepted"
    RECEIVED = "received"
    REFUSED = "refused"
    LATE = "late"
    MISSING = "missing"
    DUE = "due"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def tag_colour(self) -> str:
        return STATE_TAGS[self]


STATE_LABELS = {
    State.ACCEPTED: "Accepted", State.RECEIVED: "Received", State.REFUSED: "Refused", State.LATE: "Late",
    State.MISSING: "Missing", State.DUE: "Not due yet",
}
STATE_TAGS = {
    State.ACCEPTED: "govuk-tag--green", State.RECEIVED: "govuk-tag--blue", State.REFUSED: "govuk-tag--red",
    State.LATE: "govuk-tag--orange", State.MISSING: "govuk-tag--red", State.DUE: "govuk-tag--grey",
}


@dataclass(frozen=True)
class PeriodStatus:
    entry: Schedule
    period: Period
    state: State
    due_on: date
    days_to_due: int  # negative once overdue
    days_late: int  # how late it was accepted, or how overdue it is; 0 when on time
    uploads: int

    @property
    def overdue(self) -> bool:
        return self.days_to_due < 0 and self.state is not State.ACCEPTED

    @property
    def when(self) -> str:
        """What an uploader reads: "due in 5 days", "due today", "late: due 10 December 2026"."""
        if self.state is State.ACCEPTED:
            return f"accepted, {_days(self.days_late)} late" if self.days_late else "accepted on time"
        if self.days_to_due > 1:
            return f"due in {self.days_to_due} days"
        if self.days_to_due == 1:
            return "due tomorrow"
        if self.days_to_due == 0:
            return "due today"
        return f"late: due {self.due_on:%-d %B %Y}, {_days(-self.days_to_due)} ago"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def period_status(entry: Schedule, period: Period, uploads: Iterable[Upload], today: date) -> PeriodStatus:
    """The state of one supplier's submission for one period on ``today``.

    Accepted beats everything (a later refusal of a resubmission does not undo a loaded period);
    then an upload still being checked; then a refusal; otherwise, once the due date has passed,
    late and, after ``MISSING_AFTER_DAYS``, missing.
    """
    due = entry.due_on(period)
    mine = [u for u in uploads if u.supplier_code == entry.supplier_code and u.source == entry.source
            and u.period_end is not None and period.start <= u.period_end <= period.end
            and u.uploaded_on <= today]  # what arrives after "today" has not happened yet
    accepted = sorted(u.uploaded_on for u in mine if u.outcome is Outcome.ACCEPTED)
    days_to_due = (due - today).days
    if accepted:
        state, days_late = State.ACCEPTED, max(0, (accepted[0] - due).days)
    else:
        days_late = max(0, -days_to_due)
        if any(u.outcome is Outcome.RECEIVED for u in mine):
            state = State.RECEIVED
        elif mine:
            state = State.REFUSED
        elif days_to_due >= 0:
            state = State.DUE
        else:
            state = State.MISSING if days_late > MISSING_AFTER_DAYS else State.LATE
    return PeriodStatus(entry, period, state, due, days_to_due, days_late, len(mine))


@dataclass(frozen=True)
class Reminder:
    """One reminder to a supplier's uploaders; ``key`` makes sending it twice impossible."""

    entry: Schedule
    period: Period
    kind: str  # due_soon | overdue
    subject: str

    @property
    def key(self) -> str:
        return f"calendar:{self.entry.supplier_code}:{self.entry.source}:{self.period.key}:{self.kind}"


def reminders_due(entries: Iterable[Schedule], uploads: list[Upload], today: date,
                  source_labels: dict[str, str]) -> list[Reminder]:
    """For each entry's current and previous period: "due soon" from ``REMIND_DAYS_BEFORE`` days
    before the due date, "overdue" from the day after it, unless the period is accepted or being
    checked. Reminders are keyed, so a daily run sends each one once; a run missed for a few days
    still sends the one whose time has come."""
    found: list[Reminder] = []
    for entry in entries:
        current = entry.current_period(today)
        for period in (current.previous(), current):
            if period.end < entry.first_period_start:
                continue
            status = period_status(entry, period, uploads, today)
            if status.state in (State.ACCEPTED, State.RECEIVED):
                continue
            name = f"{source_labels.get(entry.source, entry.source)} for {period.label}"
            if status.days_to_due < 0 and status.state is not State.MISSING:
                found.append(Reminder(entry, period, "overdue",
                                      f"{name} is late: it was due on {status.due_on:%-d %B %Y}"))
            elif 0 <= status.days_to_due <= REMIND_DAYS_BEFORE:
                found.append(Reminder(entry, period, "due_soon", f"{name} is due on {status.due_on:%-d %B %Y}"))
    return found


def outstanding(schedule: Schedule, uploads: list[Upload], today: date, look_back: int = 3) -> list[PeriodStatus]:
    """What an uploader is told: the period being collected now, and any of the ``look_back`` periods
    before it that is still not accepted (late, missing, refused or being checked), oldest first."""
    periods = schedule.recent_periods(today, look_back + 1)
    statuses = [period_status(schedule, period, uploads, today) for period in reversed(periods)]
    return [s for s in statuses[:-1] if s.state is not State.ACCEPTED] + statuses[-1:]
