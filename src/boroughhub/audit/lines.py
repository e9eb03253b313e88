"""One readable line per audit entry (plain Python): what the page's table and the CSV both show.

A permitted request and the data use that followed it are two entries in the log (spec §4.1: the
decision is committed before the data is touched, the access records what was used). The page shows
the access line only; ``store.scope`` leaves out decisions that an access follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .events import ACTION_PHRASES, event_name, outcome_name
from .filters import spreadsheet_safe

SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Lookups:
    """Names for the codes entries hold, read once per page."""

    organisations: Mapping[str, str] = field(default_factory=dict)
    datasets: Mapping[str, str] = field(default_factory=dict)
    agreements: Mapping[tuple[str, int], str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    purposes: Mapping[str, str] = field(default_factory=dict)
    #: user id -> (name, email), only for the people this reader may see by name.
    people: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Line:
    seq: int
    when: datetime
    event: str
    person: str
    email: str
    organisation: str
    role: str
    what: str
    agreement: str
    outcome: str
    reason: str

    @property
    def who(self) -> str:
        """The cell a reader sees: the person where they may, else the organisation and role."""
        if self.person:
            return f"{self.person} ({self.email}), {self.organisation}" if self.email else self.person
        return ", ".join(part for part in (self.organisation, self.role) if part)


CSV_HEADER = ("Entry", "When (UTC)", "Event", "Person", "Email", "Organisation", "Role", "What",
              "Agreement", "Outcome", "Reason")


def line_of(entry: Any, lookups: Lookups, shows_person: bool) -> Line:
    """``entry`` is an ``AuditEntry`` (or anything with its fields)."""
    user_id = entry.user_id or ""
    if user_id == SYSTEM:
        person, email = "The hub (automatic)", ""
    elif shows_person and user_id in lookups.people:
        person, email = lookups.people[user_id]
    else:
        person, email = "", ""
    organisation = lookups.organisations.get(entry.org or "", entry.org or "")
    role = lookups.roles.get(entry.role or "", (entry.role or "").replace("_", " "))
    return Line(
        seq=entry.seq, when=entry.occurred_at, event=event_name(entry.event_type), person=person, email=email,
        organisation=organisation, role=role, what=_what(entry, lookups), agreement=_agreement(entry, lookups),
        outcome="Allowed" if entry.event_type == "access" else outcome_name(entry.outcome),
        reason=_reason(entry),
    )


def _what(entry: Any, lookups: Lookups) -> str:
    if not entry.action:
        return ""
    dataset = lookups.datasets.get(entry.dataset or "", entry.dataset or "")
    phrase = ACTION_PHRASES.get(entry.action, entry.action.replace("_", " ").capitalize() + " of")
    text = f"{phrase} {dataset}".strip()
    if entry.event_type == "access" and entry.row_count is not None:
        text += f" ({entry.row_count:,} row{'s' if entry.row_count != 1 else ''})"
    return text


def _agreement(entry: Any, lookups: Lookups) -> str:
    if not entry.agreement_id:
        return ""
    title = lookups.agreements.get((entry.agreement_id, entry.agreement_version or 0), entry.agreement_id)
    return f"{title} (version {entry.agreement_version})" if entry.agreement_version else title


def _reason(entry: Any) -> str:
    if entry.outcome not in ("deny", "refused", "error"):
        return ""
    reasons = entry.reasons or []
    codes = [str(r.get("code", "")) for r in reasons if isinstance(r, dict) and r.get("code")]
    payload = entry.payload or {}
    if not codes and isinstance(payload, dict):
        codes = [str(payload.get(key)) for key in ("refusal_code", "reason") if payload.get(key)]
    return ", ".join(codes)


def csv_row(line: Line) -> tuple[str, ...]:
    """The line as CSV cells a spreadsheet shows as text (names and reasons are typed by people)."""
    cells = (str(line.seq), line.when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), line.event, line.person,
             line.email, line.organisation, line.role, line.what, line.agreement, line.outcome, line.reason)
    return tuple(spreadsheet_safe(cell) for cell in cells)
