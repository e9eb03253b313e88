"""The calendar's rules without a database: periods, due dates, the state of each period, reminders.

Every date is fixed here; nothing reads the wall clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from boroughhub.submissions.cycle.calendar import (
    MISSING_AFTER_DAYS,
    Frequency,
    Outcome,
    Period,
    Schedule,
    State,
    Upload,
    outstanding,
    period_status,
    reminders_due,
)

CAMDEN = Schedule("E09000007", "London Borough of Camden", "borough", "hclic", Frequency.MONTHLY, 10,
                  date(2026, 1, 1))
NOVEMBER = Period.holding(date(2026, 11, 17), Frequency.MONTHLY)
LABELS = {"hclic": "H-CLIC"}


def upload(on: date, outcome: Outcome, period_end: date = date(2026, 11, 30), supplier: str = "E09000007") -> Upload:
    return Upload(supplier, "hclic", period_end, on, outcome)


def test_periods_months_and_quarters():
    assert (NOVEMBER.start, NOVEMBER.end, NOVEMBER.key, NOVEMBER.label) == (
        date(2026, 11, 1), date(2026, 11, 30), "2026-11", "November 2026")
    quarter = Period.holding(date(2026, 11, 17), Frequency.QUARTERLY)
    assert (quarter.start, quarter.end, quarter.key) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert quarter.label == "October to December 2026"
    assert quarter.next().key == "2027-Q1" and NOVEMBER.previous().label == "October 2026"
    assert Period.holding(date(2027, 1, 3), Frequency.MONTHLY).previous().label == "December 2026"


def test_due_date_is_the_due_day_of_the_month_after_the_period():
    assert CAMDEN.due_on(NOVEMBER) == date(2026, 12, 10)
    assert CAMDEN.due_on(Period.holding(date(2026, 12, 1), Frequency.MONTHLY)) == date(2027, 1, 10)


def test_current_period_moves_on_the_day_after_the_due_date():
    assert CAMDEN.current_period(date(2026, 12, 10)) == NOVEMBER
    assert CAMDEN.current_period(date(2026, 12, 11)).label == "December 2026"
    assert [p.key for p in CAMDEN.recent_periods(date(2026, 12, 5), 3)] == ["2026-11", "2026-10", "2026-09"]
    # Never before the calendar's first period.
    assert [p.key for p in CAMDEN.recent_periods(date(2026, 2, 5), 6)] == ["2026-01"]


def test_due_in_days_due_today_then_late_then_missing():
    status = period_status(CAMDEN, NOVEMBER, [], date(2026, 12, 5))
    assert (status.state, status.when) == (State.DUE, "due in 5 days")
    assert period_status(CAMDEN, NOVEMBER, [], date(2026, 12, 9)).when == "due tomorrow"
    assert period_status(CAMDEN, NOVEMBER, [], date(2026, 12, 10)).when == "due today"
    late = period_status(CAMDEN, NOVEMBER, [], date(2026, 12, 13))
    assert (late.state, late.when, late.overdue) == (State.LATE, "late: due 10 December 2026, 3 days ago", True)
    edge = date(2026, 12, 10).toordinal() + MISSING_AFTER_DAYS
    assert period_status(CAMDEN, NOVEMBER, [], date.fromordinal(edge)).state is State.LATE
    assert period_status(CAMDEN, NOVEMBER, [], date.fromordinal(edge + 1)).state is State.MISSING


def test_accepted_beats_a_later_refusal_and_says_how_late_it_was():
    uploads = [upload(date(2026, 12, 12), Outcome.ACCEPTED), upload(date(2026, 12, 14), Outcome.REFUSED)]
    status = period_status(CAMDEN, NOVEMBER, uploads, date(2026, 12, 20))
    assert (status.state, status.days_late, status.when, status.uploads) == (
        State.ACCEPTED, 2, "accepted, 2 days late", 2)
    on_time = period_status(CAMDEN, NOVEMBER, [upload(date(2026, 12, 10), Outcome.ACCEPTED)], date(2027, 2, 1))
    assert (on_time.state, on_time.when, on_time.overdue) == (State.ACCEPTED, "accepted on time", False)


def test_received_then_refused_and_uploads_of_others_or_other_periods_do_not_count():
    checking = [upload(date(2026, 12, 3), Outcome.REFUSED), upload(date(2026, 12, 4), Outcome.RECEIVED)]
    assert period_status(CAMDEN, NOVEMBER, checking, date(2026, 12, 4)).state is State.RECEIVED
    assert period_status(CAMDEN, NOVEMBER, checking[:1], date(2026, 12, 4)).state is State.REFUSED
    others = [upload(date(2026, 12, 3), Outcome.ACCEPTED, supplier="E09000033"),
              upload(date(2026, 12, 3), Outcome.ACCEPTED, period_end=date(2026, 10, 31)),
              Upload("E09000007", "hclic", None, date(2026, 12, 3), Outcome.REFUSED)]
    assert period_status(CAMDEN, NOVEMBER, others, date(2026, 12, 4)).state is State.DUE


def test_reminders_due_soon_then_overdue_never_when_accepted_and_keyed_per_period():
    october_late = reminders_due([CAMDEN], [], date(2026, 12, 2), LABELS)
    assert [(r.kind, r.period.key) for r in october_late] == [("overdue", "2026-10")]  # November not yet
    camden = replace(CAMDEN, first_period_start=date(2026, 11, 1))
    assert reminders_due([camden], [], date(2026, 12, 2), LABELS) == []  # 8 days before: not yet
    soon = reminders_due([camden], [], date(2026, 12, 3), LABELS)
    assert [(r.kind, r.key) for r in soon] == [("due_soon", "calendar:E09000007:hclic:2026-11:due_soon")]
    assert soon[0].subject == "H-CLIC for November 2026 is due on 10 December 2026"
    late = reminders_due([camden], [], date(2026, 12, 11), LABELS)
    assert [(r.kind, r.period.key) for r in late] == [("overdue", "2026-11")]
    assert late[0].subject == "H-CLIC for November 2026 is late: it was due on 10 December 2026"
    accepted = [upload(date(2026, 12, 11), Outcome.ACCEPTED)]
    assert reminders_due([camden], accepted, date(2026, 12, 12), LABELS) == []
    refused = [upload(date(2026, 12, 11), Outcome.REFUSED)]
    assert [r.kind for r in reminders_due([camden], refused, date(2026, 12, 12), LABELS)] == ["overdue"]


def test_uploaders_are_told_of_this_period_and_of_earlier_ones_not_accepted():
    uploads = [upload(date(2026, 11, 9), Outcome.ACCEPTED, period_end=date(2026, 10, 31)),
               upload(date(2026, 10, 2), Outcome.REFUSED, period_end=date(2026, 9, 30))]
    told = outstanding(CAMDEN, uploads, date(2026, 12, 12))
    assert [(s.period.key, s.state) for s in told] == [
        ("2026-09", State.REFUSED), ("2026-11", State.LATE), ("2026-12", State.DUE)]
    assert told[1].when == "late: due 10 December 2026, 2 days ago" and told[2].when == "due in 29 days"
