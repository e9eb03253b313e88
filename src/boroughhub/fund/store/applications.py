"""Rounds and applications: drafting, submitting (the round's rules asked first) and the rounds list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from boroughhub.audit import record_event
from boroughhub.fund.models import Application, Round
from boroughhub.fund.rules import ApplicationFacts, RoundTerms, round_status, submission_problems
from boroughhub.organisations import Organisation


class FundRefused(ValueError):
    """A change the fund's rules refuse; ``problems`` say what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def terms_of(round_: Round) -> RoundTerms:
    return RoundTerms(round_.opens_at, round_.closes_at, round_.maximum_pence, round_.minimum_partner_boroughs)


def application_facts(application: Application) -> ApplicationFacts:
    lead = application.lead_organisation
    return ApplicationFacts(lead.pk, lead.type == "borough", list(application.partner_boroughs),
                            application.requested_pence, application.outcome_statement)


def next_reference(round_: Round) -> str:
    return f"APP-{round_.applications.count() + 1:04d}"


def budget_total(lines: list[dict[str, Any]]) -> int:
    return sum(int(line["amount_pence"]) for line in lines)


def save_application(application: Application | None, *, round_: Round, values: dict[str, Any], user: Any,
                     org_id: str, now: datetime) -> Application:
    """Create or change a draft. Partner boroughs must be boroughs; a submitted application is not changed."""
    partners = [p for p in values.get("partner_boroughs", []) if p]
    known = set(Organisation.objects.filter(pk__in=partners, type="borough").values_list("pk", flat=True))
    unknown = [p for p in partners if p not in known]
    if unknown:
        raise FundRefused([f"Partner boroughs: {', '.join(unknown)} is not a London borough; choose from the list."])
    if application is not None and application.status != "draft":
        raise FundRefused(["This application has been submitted: it can no longer be changed."])
    lines = values.get("budget_lines", [])
    fields = {
        "title": values.get("title", "").strip() or "Untitled application",
        "partner_boroughs": [p for p in partners if p != org_id], "other_partners": values.get("other_partners", ""),
        "outcome_statement": values.get("outcome_statement", ""), "problem": values.get("problem", ""),
        "idea": values.get("idea", ""), "has_technology": bool(values.get("has_technology")),
        "enablers": values.get("enablers", {}), "budget_lines": lines, "requested_pence": budget_total(lines),
    }
    with transaction.atomic():
        if application is None:
            application = Application.objects.create(
                round=round_, reference=next_reference(round_), lead_organisation_id=org_id, created_by=user,
                created_at=now, **fields)
        else:
            for name, value in fields.items():
                setattr(application, name, value)
            application.save()
    return application


def submit_application(application: Application, *, user: Any, org_id: str, role: str, now: datetime) -> None:
    """Submit if the round's rules allow it now; a refusal changes nothing and is audited with its reasons."""
    problems = submission_problems(terms_of(application.round), application_facts(application), now)
    if application.status != "draft":
        problems = ["This application has been submitted already."]
    payload = {"round": application.round.round_id, "application": application.reference,
               "requested_pence": application.requested_pence}
    if problems:
        record_event("decision", "refused", user=user, org_id=org_id, role=role, action="application_submit",
                     payload={**payload, "problems": problems})
        raise FundRefused(problems)
    with transaction.atomic():
        application.status = "submitted"
        application.submitted_at = now
        application.save(update_fields=["status", "submitted_at"])
        record_event("decision", "ok", user=user, org_id=org_id, role=role, action="application_submit",
                     payload=payload)


def round_listing(now: datetime) -> list[dict[str, Any]]:
    """Each round with its id, budget and status: what ``boroughhub fund rounds --json`` prints."""
    return [
        {"id": r.round_id, "title": r.title, "budget": r.budget_pence / 100, "currency": "GBP",
         "maximum_per_application": r.maximum_pence / 100,
         "status": round_status(r.opens_at, r.closes_at, r.decided_at is not None, now).value,
         "opens_at": r.opens_at.isoformat(), "closes_at": r.closes_at.isoformat(),
         "applications_submitted": r.applications.filter(status="submitted").count()}
        for r in Round.objects.order_by("opens_at", "round_id")
    ]
