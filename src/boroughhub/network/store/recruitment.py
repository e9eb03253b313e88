"""Recruitment support on the database side: vacancies, shortlists, outcomes and placements."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from boroughhub.audit import record_event
from boroughhub.network.models import Candidate, Vacancy
from boroughhub.network.recruitment.savings import PlacementRow, SavingAssumptions, days_to_fill


def next_reference() -> str:
    last = Vacancy.objects.order_by("-id").values_list("id", flat=True).first() or 0
    reference, n = f"V{last + 1:04d}", last + 1
    while Vacancy.objects.filter(reference=reference).exists():
        n += 1
        reference = f"V{n:04d}"
    return reference


def open_vacancy(role: str, grade: str, organisation_id: str, opened_on: date, by: Any) -> Vacancy:
    with transaction.atomic():
        vacancy = Vacancy.objects.create(reference=next_reference(), role=role, grade=grade,
                                         organisation_id=organisation_id, opened_on=opened_on)
        record_event("registry", "ok", user=by, role="programme_manager", action="vacancy_opened",
                     payload={"vacancy": vacancy.reference, "borough": organisation_id})
    return vacancy


def shortlist(vacancy: Vacancy, name: str, source: str, by: Any) -> Candidate:
    with transaction.atomic():
        candidate = Candidate.objects.create(vacancy=vacancy, name=name, source=source)
        record_event("registry", "ok", user=by, role="programme_manager", action="candidate_listed",
                     payload={"vacancy": vacancy.reference, "candidate": candidate.pk, "source": source})
    return candidate


def record_outcome(candidate: Candidate, outcome: str, by: Any) -> None:
    with transaction.atomic():
        candidate.outcome = outcome
        candidate.save(update_fields=["outcome"])
        record_event("registry", "ok", user=by, role="programme_manager", action="candidate_outcome",
                     payload={"vacancy": candidate.vacancy.reference, "candidate": candidate.pk, "outcome": outcome})


def mark_filled(vacancy: Vacancy, filled_on: date, candidate_source: str, assumptions: SavingAssumptions,
                by: Any) -> None:
    days_to_fill(vacancy.opened_on, filled_on)  # raises if filled before it was opened
    with transaction.atomic():
        vacancy.status, vacancy.filled_on, vacancy.candidate_source = Vacancy.FILLED, filled_on, candidate_source
        vacancy.salary, vacancy.agency_fee_rate = assumptions.salary, assumptions.agency_fee_rate
        vacancy.office_cost, vacancy.assumption_source = assumptions.office_cost, assumptions.source
        vacancy.save()
        record_event("registry", "ok", user=by, role="programme_manager", action="vacancy_filled",
                     payload={"vacancy": vacancy.reference, "filled_on": filled_on.isoformat()})


def placement_rows() -> list[PlacementRow]:
    rows = []
    for v in Vacancy.objects.filter(status=Vacancy.FILLED).select_related("organisation").order_by("filled_on", "reference"):
        assumptions = SavingAssumptions(v.salary, v.agency_fee_rate, v.office_cost, v.assumption_source)
        rows.append(PlacementRow(v.reference, v.organisation.name, v.role, v.grade, v.opened_on, v.filled_on,
                                 v.candidate_source, assumptions))
    return rows
