"""What the fund's pages share: the roles, the refusal-to-errors shape, and who is acting."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from boroughhub.fund.models import Application
from boroughhub.organisations import Role

APPLICANTS = (Role.PROJECT_LEAD,)
ASSESSORS = (Role.FUND_ASSESSOR,)
PANEL = (Role.PROGRAMME_MANAGER,)
EVERYONE = (Role.PROJECT_LEAD, Role.FUND_ASSESSOR, Role.PROGRAMME_MANAGER)


def errors_of(problems: list[str], href: str = "#main-form") -> list[dict[str, str]]:
    return [{"text": problem, "href": href} for problem in problems]


def acting(request: HttpRequest) -> Any:
    return request.acting  # type: ignore[attr-defined]


def pounds(pence: int | None) -> str:
    return f"£{(pence or 0) / 100:,.0f}" if (pence or 0) % 100 == 0 else f"£{(pence or 0) / 100:,.2f}"


def application_for(request: HttpRequest, pk: int) -> Application:
    """An application this session may open: its own borough's (applicants); a submitted one
    (assessors and the panel). Anything else is not found, so nothing is confirmed to exist."""
    application = Application.objects.select_related("round", "lead_organisation").filter(pk=pk).first()
    who = acting(request)
    if application is None:
        raise Http404("No such application.")
    if who.role == Role.PROJECT_LEAD and application.lead_organisation_id == who.org_id:
        return application
    if who.role in (Role.FUND_ASSESSOR, Role.PROGRAMME_MANAGER) and application.status == "submitted":
        return application
    # A round listed for comments shows its submitted applications to every borough's project leads.
    if who.role == Role.PROJECT_LEAD and application.status == "submitted" and application.round.public_listing:
        return application
    raise Http404("No such application.")
