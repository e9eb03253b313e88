"""Reporting periods (metrics.md 2.3) and the date arithmetic of 2.4."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

FINANCIAL_YEAR = "financial_year"
FINANCIAL_QUARTER = "financial_quarter"
MONTH = "month"


@dataclass(frozen=True)
class Period:
    period_type: str
    label: str
    start: dt.date
    end: dt.date


def minus_months(day: dt.date, months: int) -> dt.date:
    """``d − k months``: same day k months earlier, or the last day of that month if it does not exist."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def financial_year(year: int) -> Period:
    """The financial year starting on 1 April ``year``, labelled ``2023/24``."""
    return Period(FINANCIAL_YEAR, f"{year}/{(year + 1) % 100:02d}", dt.date(year, 4, 1), dt.date(year + 1, 3, 31))


def financial_quarter(year: int, quarter: int) -> Period:
    """Quarter 1–4 of the financial year starting in ``year`` (Q1 = April–June)."""
    first_month = 4 + 3 * (quarter - 1)
    start_year = year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    end = _month_end(start_year, month + 2)
    return Period(FINANCIAL_QUARTER, f"{financial_year(year).label} Q{quarter}", dt.date(start_year, month, 1), end)


def calendar_month(year: int, month: int) -> Period:
    return Period(MONTH, f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))


def reportable_periods(period_type: str, history_start: dt.date, as_at: dt.date) -> list[Period]:
    """Every period of the type with ``history_start ≤ end ≤ as_at``, in time order."""
    periods: list[Period] = []
    for year in range(history_start.year - 1, as_at.year + 1):
        if period_type == FINANCIAL_YEAR:
            candidates = [financial_year(year)]
        elif period_type == FINANCIAL_QUARTER:
            candidates = [financial_quarter(year, q) for q in (1, 2, 3, 4)]
        elif period_type == MONTH:
            candidates = [calendar_month(year, m) for m in range(1, 13)]
        else:
            raise ValueError(f"unknown period type {period_type!r}")
        periods.extend(p for p in candidates if history_start <= p.end <= as_at)
    return sorted(periods, key=lambda p: p.start)
