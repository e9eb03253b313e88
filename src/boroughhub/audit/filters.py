"""The privacy officer's filters as values (plain Python): what was asked, and the instants it means.

Days are London days: "from 1 December" starts at 00:00 London time on 1 December, "to 6 December"
ends at 00:00 London on 7 December, whatever the clocks did in between.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True, slots=True)
class AuditFilters:
    first_day: date | None = None
    last_day: date | None = None
    person: str = ""
    event_type: str = ""
    dataset: str = ""
    outcome: str = ""
    agreement_id: str = ""

    def starts_at(self) -> datetime | None:
        return london_midnight(self.first_day) if self.first_day else None

    def ends_before(self) -> datetime | None:
        return london_midnight(self.last_day + timedelta(days=1)) if self.last_day else None

    def as_record(self) -> dict[str, str]:
        """The filters as the ``audit_read`` entry keeps them: only those set, dates ISO."""
        return {name: value.isoformat() if isinstance(value, date) else value
                for name, value in asdict(self).items() if value}


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def london_day(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'`` before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
