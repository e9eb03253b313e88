"""The one clock of the network room: instants in UTC, shown and entered in London time.

Pages and commands take "now" from ``network_now``; tests set it with ``network_clock_set_to`` (STYLE.md 17)
so nothing here depends on the calendar.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_fixed: list[datetime] = []


def network_now() -> datetime:
    return _fixed[-1] if _fixed else datetime.now(UTC)


def london_today() -> date:
    return network_now().astimezone(LONDON).date()


@contextmanager
def network_clock_set_to(instant: datetime) -> Iterator[None]:
    if instant.tzinfo is None:
        raise ValueError("Give the clock an aware instant (UTC or London time).")
    _fixed.append(instant.astimezone(UTC))
    try:
        yield
    finally:
        _fixed.pop()


def london_wall_time(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant (UTC) of a London wall-clock time on a day: GMT in winter, BST in summer."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def london_date_text(value: date | datetime) -> str:
    """"7 December 2026" (a datetime is first put in London time)."""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def london_time_text(value: datetime) -> str:
    """"7 December 2026 at 18:30" in London time."""
    local = value.astimezone(LONDON)
    return f"{london_date_text(local)} at {local:%H:%M}"
