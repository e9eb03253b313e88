"""How the resident view writes dates: "7 December 2026", as the GOV.UK style guide asks."""

from __future__ import annotations

from datetime import date


def long_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"
