"""Adult social care client-level data (ASC CLD), shaped on the national return's release 1 (issue 17).

One row per event: a person's identifiers and demographics, then the event — a request for
support, an assessment, a service or a review — with its dates, outcome, service type and primary
support reason. ``validate_asc_cld`` reports every problem with its row, column and rule, through the
same ``ValidationReport`` the other sources use; ``open_asc_cases`` derives the involvements a worker's
relationship rests on (a service or assessment that has started and not ended).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from boroughhub.sources.report import Issue, ValidationReport

FILE_NAME = "asc_cld_events.csv"

COLUMNS: tuple[str, ...] = (
    "person_id", "nhs_number", "first_name", "last_name", "date_of_birth", "gender", "ethnicity", "postcode",
    "event_id", "event_type", "event_start", "event_end", "event_outcome", "service_type",
    "primary_support_reason", "team_code", "team_name", "key_worker_name", "key_worker_phone", "key_worker_email",
)
REQUIRED = ("person_id", "last_name", "date_of_birth", "event_id", "event_type", "event_start", "team_code")

EVENT_TYPES = frozenset({"request", "assessment", "service", "review"})
SERVICE_TYPES = frozenset({
    "long_term_residential", "long_term_nursing", "long_term_community", "short_term_reablement",
    "short_term_other", "carer_support", "",
})
PRIMARY_SUPPORT_REASONS = frozenset({
    "physical_support", "sensory_support", "support_with_memory_and_cognition", "learning_disability_support",
    "mental_health_support", "social_support", "",
})
EVENT_OUTCOMES = frozenset({
    "ongoing", "long_term_support", "short_term_support", "universal_services", "no_services_provided",
    "ended_deceased", "ended_moved", "",
})
CODES = {"event_type": EVENT_TYPES, "service_type": SERVICE_TYPES,
         "primary_support_reason": PRIMARY_SUPPORT_REASONS, "event_outcome": EVENT_OUTCOMES}
DATES = ("date_of_birth", "event_start", "event_end")


@dataclass(frozen=True, slots=True)
class AscOpenCase:
    person_id: str
    team_code: str
    team_name: str
    key_worker_name: str
    key_worker_phone: str
    key_worker_email: str
    start: date
    end: date | None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def validate_asc_cld(rows: Iterable[Mapping[str, str]], header: Iterable[str]) -> ValidationReport:
    """Every broken rule, by line (the header is line 1); a report that has not passed loads nothing."""
    report = ValidationReport()
    columns = list(header)
    for missing in (c for c in COLUMNS if c not in columns):
        report.add(Issue(FILE_NAME, "header_missing_column", f"Add the column {missing}.", line=1, column=missing))
    for unknown in (c for c in columns if c not in COLUMNS):
        report.add(Issue(FILE_NAME, "header_unknown_column", f"Remove the column {unknown}: ASC CLD release 1 "
                         "has no such column.", line=1, column=unknown))
    if not report.passed:
        return report
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        key = row.get("event_id", "")
        for name in REQUIRED:
            if not (row.get(name) or "").strip():
                report.add(Issue(FILE_NAME, "required_missing", f"Fill in {name}.", line=line, record_key=key,
                                 column=name))
        for name in DATES:
            value = (row.get(name) or "").strip()
            if value and _date(value) is None:
                report.add(Issue(FILE_NAME, "bad_date", "Write dates as YYYY-MM-DD.", line=line, record_key=key,
                                 column=name, value=value))
        for name, allowed in CODES.items():
            value = (row.get(name) or "").strip()
            if value not in allowed:
                report.add(Issue(FILE_NAME, "bad_code", f"Use one of: {', '.join(sorted(v for v in allowed if v))}.",
                                 line=line, record_key=key, column=name, value=value))
        start, end = _date(row.get("event_start", "")), _date(row.get("event_end", "") or "")
        if start and end and end < start:
            report.add(Issue(FILE_NAME, "bad_date", "The event ends before it starts: check event_end.", line=line,
                             record_key=key, column="event_end", value=row.get("event_end", "")))
        if key in seen:
            report.add(Issue(FILE_NAME, "duplicate_key", "Each event_id may appear once.", line=line,
                             record_key=key, column="event_id", value=key))
        seen.add(key)
    return report


def open_asc_cases(rows: Iterable[Mapping[str, str]]) -> list[AscOpenCase]:
    """Each assessment or service event as an involvement (its end date, if any, closes it); requests
    and reviews are contacts, not cases, and make no involvement."""
    cases = []
    for row in rows:
        if row["event_type"] not in ("assessment", "service"):
            continue
        start = date.fromisoformat(row["event_start"])
        cases.append(AscOpenCase(
            person_id=row["person_id"], team_code=row["team_code"], team_name=row.get("team_name", ""),
            key_worker_name=row.get("key_worker_name", ""), key_worker_phone=row.get("key_worker_phone", ""),
            key_worker_email=row.get("key_worker_email", ""), start=start,
            end=date.fromisoformat(row["event_end"]) if row.get("event_end") else None,
        ))
    return cases
