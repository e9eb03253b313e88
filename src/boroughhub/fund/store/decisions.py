"""Selection, decisions and awards: rank by moderated score, fill the budget, record each outcome and
its reason, tell applicants, and turn each funded application into a pilot project at "develop"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from boroughhub.agreements import Notification
from boroughhub.audit import record_event
from boroughhub.fund.giving360 import AwardedGrant
from boroughhub.fund.models import Application, Round
from boroughhub.fund.rules import london_time
from boroughhub.fund.selection import Candidate, Outcome, Selection, select
from boroughhub.projects import NewProject, Stage, Who, create_project

from .applications import FundRefused


def selection_for(round_: Round) -> list[Selection]:
    candidates = [Candidate(a.reference, a.title, a.moderated_score, a.requested_pence, a.submitted_at)
                  for a in round_.applications.filter(status="submitted") if a.submitted_at is not None]
    return select(candidates, round_.budget_pence, round_.threshold)


def _project_for(application: Application, now: datetime) -> NewProject:
    return NewProject(
        slug=f"{application.round.round_id}-{application.reference.lower()}", title=application.title,
        outcome_statement=application.outcome_statement, lead_organisation=application.lead_organisation_id,
        problem=application.problem, partners=tuple(application.partner_boroughs), funders=("hub",),
        themes=("adult-social-care",) if "social care" in application.round.title.lower() else (),
        has_technology=application.has_technology, starts_on=now.date(),
        funding_pence=application.requested_pence, stage=Stage.DEVELOP,
        awarded_from=f"{application.round.round_id}/{application.reference}",
        # The programme evaluation assesses the fund as one activity, its pilots among it.
        evaluation_activity=application.round.title)


def decide_round(round_: Round, *, user: Any, org_id: str | None, role: str | None, now: datetime,
                 who_name: str) -> list[Selection]:
    """Record the selection as the round's decisions (once, after the round has closed)."""
    if round_.decided_at is not None:
        raise FundRefused([f"This round was decided on {london_time(round_.decided_at)}."])
    if now < round_.closes_at:
        raise FundRefused([f"The round is open until {london_time(round_.closes_at)} (London time): decide after it "
                           f"closes."])
    selections = selection_for(round_)
    who = Who(user, org_id, role, who_name)
    with transaction.atomic():
        for chosen in selections:
            application = round_.applications.get(reference=chosen.candidate.reference)
            application.outcome = chosen.outcome.value
            application.decision_reason = chosen.reason
            if chosen.outcome is Outcome.FUNDED:
                project = create_project(_project_for(application, now), who, now)
                application.awarded_project_slug = project.slug
            application.save(update_fields=["outcome", "decision_reason", "awarded_project_slug"])
            Notification.objects.create(
                organisation_id=application.lead_organisation_id, role="project_lead", kind="fund_decision",
                subject=f"{round_.title}: {application.reference} {chosen.outcome.label.lower()}",
                body=chosen.reason, link=f"/fund/applications/{application.pk}", created_at=now,
                key=f"fund-decision-{round_.round_id}-{application.reference}")
        round_.decided_at = now
        round_.save(update_fields=["decided_at"])
        record_event("decision", "ok", user=user, org_id=org_id, role=role, action="fund_round_decided",
                     payload={"round": round_.round_id,
                              "outcomes": {s.candidate.reference: s.outcome.value for s in selections}})
    return selections


def awarded_grants(round_: Round) -> list[AwardedGrant]:
    """The round's funded applications as grants for the 360Giving export."""
    if round_.decided_at is None:
        raise FundRefused([f"Round {round_.round_id} has not been decided yet: there are no awards to publish."])
    grants = []
    for application in round_.applications.filter(outcome="funded").select_related("lead_organisation"):
        lead = application.lead_organisation
        grants.append(AwardedGrant(
            round_.round_id, round_.title, application.reference, application.title,
            application.outcome_statement or application.idea, application.requested_pence,
            application.requested_pence, round_.decided_at.date(), lead.pk, lead.name, lead.ons_code))
    return grants
