"""Calendar files: London time with a VTIMEZONE, right either side of the clock change, stable UIDs."""

from datetime import UTC, datetime

from icalendar import Calendar

from boroughhub.network.events.calendar import CalendarEntry, calendar_file, event_uid


def entry(slug: str, starts: datetime, ends: datetime, cancelled: bool = False) -> CalendarEntry:
    return CalendarEntry(slug, f"Talk {slug}", "About data", starts, ends, "City Hall", f"http://hub/events/{slug}/",
                         datetime(2026, 12, 1, 9, tzinfo=UTC), 1 if cancelled else 0, cancelled)


def test_summer_and_winter_events_keep_their_london_wall_clock_times():
    summer = entry("summer", datetime(2027, 6, 16, 17, 0, tzinfo=UTC), datetime(2027, 6, 16, 18, 30, tzinfo=UTC))
    winter = entry("winter", datetime(2027, 1, 12, 18, 0, tzinfo=UTC), datetime(2027, 1, 12, 19, 0, tzinfo=UTC))
    text = calendar_file([summer, winter], "London Data Week").decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert "DTSTART;TZID=Europe/London:20270616T180000" in text  # 17:00 UTC is 18:00 BST
    assert "DTSTART;TZID=Europe/London:20270112T180000" in text  # 18:00 UTC is 18:00 GMT
    parsed = Calendar.from_ical(text)
    starts = {str(e["uid"]): e.decoded("dtstart") for e in parsed.walk("VEVENT")}
    assert starts[event_uid("summer")] == datetime(2027, 6, 16, 17, 0, tzinfo=UTC)
    assert starts[event_uid("winter")] == datetime(2027, 1, 12, 18, 0, tzinfo=UTC)


def test_the_same_event_gives_the_same_file_and_a_cancellation_is_marked():
    one = entry("a", datetime(2027, 6, 16, 17, tzinfo=UTC), datetime(2027, 6, 16, 18, tzinfo=UTC))
    assert calendar_file([one], "x") == calendar_file([one], "x")
    cancelled = entry("a", datetime(2027, 6, 16, 17, tzinfo=UTC), datetime(2027, 6, 16, 18, tzinfo=UTC), True)
    text = calendar_file([cancelled], "x").decode()
    assert "STATUS:CANCELLED" in text and "SEQUENCE:1" in text and "UID:event-a@boroughhub" in text
