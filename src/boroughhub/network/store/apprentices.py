"""Apprentices and opportunities on the database side."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from boroughhub.audit import record_event
from boroughhub.network.apprentices.career import OpportunityFacts, OpportunityKind
from boroughhub.network.apprentices.directory import ApprenticeProfile
from boroughhub.network.clock import network_now
from boroughhub.network.models import Apprentice, Opportunity


def profile_of(apprentice: Apprentice) -> ApprenticeProfile:
    return ApprenticeProfile(str(apprentice.pk), apprentice.name, apprentice.user.email, apprentice.organisation_id,
                             apprentice.standard, apprentice.level, apprentice.cohort, apprentice.end_date,
                             apprentice.interests, frozenset(apprentice.shared))


def all_profiles() -> list[ApprenticeProfile]:
    return [profile_of(a) for a in Apprentice.objects.select_related("user")]


def save_profile(user: Any, organisation_id: str, *, name: str, standard: str, level: int, cohort: str,
                 end_date: date, interests: str, shared: list[str]) -> Apprentice:
    with transaction.atomic():
        apprentice, created = Apprentice.objects.update_or_create(user=user, defaults={
            "organisation_id": organisation_id, "name": name, "standard": standard, "level": level,
            "cohort": cohort, "end_date": end_date, "interests": interests, "shared": sorted(shared)})
        record_event("registry", "ok", user=user, org_id=organisation_id, role="apprentice",
                     action="apprentice_joined" if created else "apprentice_updated",
                     payload={"shared": sorted(shared)})
    return apprentice


def post_opportunity(title: str, kind: OpportunityKind, description: str, closes_on: date, organisation_id: str,
                     by: Any, role: str) -> Opportunity:
    with transaction.atomic():
        opportunity = Opportunity.objects.create(title=title, kind=kind.value, description=description,
                                                 closes_on=closes_on, organisation_id=organisation_id,
                                                 posted_by=by, posted_at=network_now())
        record_event("registry", "ok", user=by, org_id=organisation_id, role=role,
                     action="opportunity_posted", payload={"opportunity": opportunity.pk})
    return opportunity


def facts_of(opportunity: Opportunity) -> OpportunityFacts:
    return OpportunityFacts(str(opportunity.pk), OpportunityKind(opportunity.kind), opportunity.closes_on)


def open_opportunities(today: date, kinds: frozenset[OpportunityKind] | None = None) -> list[Opportunity]:
    chosen = Opportunity.objects.filter(closes_on__gte=today).select_related("organisation")
    if kinds is not None:
        chosen = chosen.filter(kind__in=[kind.value for kind in kinds])
    return list(chosen.order_by("closes_on", "title"))
