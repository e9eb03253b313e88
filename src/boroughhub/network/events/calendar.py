"""Calendar files (.ics, RFC 5545) for one event and for a series, written with the ``icalendar`` package.

Times are written in London time with a VTIMEZONE for Europe/London (so a calendar keeps 18:00 at 18:00
across the clock change) and the UID of an event never changes, so downloading the file again updates
the entry rather than adding a second one. DTSTAMP is the event's last change, not the download time:
the same event gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

from boroughhub.network.clock import LONDON

PRODUCT_ID = "-//boroughhub//network events//EN"


@dataclass(frozen=True)
class CalendarEntry:
    slug: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location: str
    url: str
    changed_at: datetime
    sequence: int
    cancelled: bool


def event_uid(slug: str) -> str:
    return f"event-{slug}@boroughhub"


def _vevent(entry: CalendarEntry) -> Event:
    event = Event()
    event.add("uid", event_uid(entry.slug))
    event.add("dtstamp", entry.changed_at)
    event.add("dtstart", entry.starts_at.astimezone(LONDON))
    event.add("dtend", entry.ends_at.astimezone(LONDON))
    event.add("summary", entry.title)
    event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    event.add("url", entry.url)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event


def calendar_file(entries: Iterable[CalendarEntry], name: str) -> bytes:
    """One VCALENDAR holding ``entries`` (one for an event's file, many for a series feed)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    for entry in entries:
        calendar.add_component(_vevent(entry))
    # A VTIMEZONE for Europe/London covering the events' dates, taken from the tz database.
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
