"""A fund round's rules for applications: when they may be submitted, how much they may ask for and
who must be party to them. Plain functions over plain values; "now" is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def london_time(instant: datetime) -> str:
    """``7 December 2026, 5:00pm`` in London time: how a close time is shown to applicants."""
    local = instant.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local.day} {local.strftime('%B %Y')}, {hour}:{local.strftime('%M')}{local.strftime('%p').lower()}"


def round_status(opens_at: datetime, closes_at: datetime, decided: bool, now: datetime) -> RoundStatus:
    if decided:
        return RoundStatus.DECIDED
    if now < opens_at:
        return RoundStatus.DRAFT
    if now < closes_at:
        return RoundStatus.OPEN
    return RoundStatus.CLOSED


@dataclass(frozen=True)
class RoundTerms:
    opens_at: datetime
    closes_at: datetime
    maximum_pence: int
    #: Partner boroughs an application must have besides its lead (the round's eligibility rule).
    minimum_partner_boroughs: int = 0


@dataclass(frozen=True)
class ApplicationFacts:
    lead_organisation: str
    lead_is_borough: bool
    partner_boroughs: Sequence[str]
    requested_pence: int
    outcome_statement: str


def pounds(pence: int) -> str:
    return f"£{pence / 100:,.0f}" if pence % 100 == 0 else f"£{pence / 100:,.2f}"


def submission_problems(terms: RoundTerms, application: ApplicationFacts, now: datetime) -> list[str]:
    """Why an application cannot be submitted now; empty when it can. Late comes first: nothing else
    matters once the round has closed."""
    if now >= terms.closes_at:
        return [f"This round closed at {london_time(terms.closes_at)} (London time): applications can no "
                f"longer be submitted."]
    if now < terms.opens_at:
        return [f"This round opens at {london_time(terms.opens_at)} (London time): submit it then."]
    problems = []
    if not application.outcome_statement.strip():
        problems.append("Write the outcome statement: what you want to be different in the world.")
    if not application.lead_is_borough:
        problems.append("The lead organisation must be a London borough.")
    partners = [p for p in application.partner_boroughs if p != application.lead_organisation]
    if len(partners) < terms.minimum_partner_boroughs:
        problems.append(f"Name at least {terms.minimum_partner_boroughs} partner borough"
                        f"{'s' if terms.minimum_partner_boroughs != 1 else ''} besides the lead.")
    if application.requested_pence <= 0:
        problems.append("Add budget lines: the amount requested must be more than £0.")
    elif application.requested_pence > terms.maximum_pence:
        problems.append(f"The amount requested, {pounds(application.requested_pence)}, is over this round's "
                        f"maximum of {pounds(terms.maximum_pence)}: reduce the budget lines.")
    return problems
