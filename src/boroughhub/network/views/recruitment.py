"""Recruitment support pages, for the collaboration office's programme managers: vacancies boroughs ask the
office to help fill, shortlists, outcomes, and placements with their saving and its assumptions (downloadable
for the evaluation, without candidates' names)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.audit import record_request_event
from boroughhub.network.clock import london_today
from boroughhub.network.forms import CandidateForm, FilledForm, VacancyForm
from boroughhub.network.models import Candidate, Vacancy
from boroughhub.network.recruitment.savings import (
    DEFAULT_AGENCY_FEE_RATE,
    DEFAULT_OFFICE_COST,
    SavingAssumptions,
    placements_csv,
    placements_xlsx,
    total_saving,
)
from boroughhub.network.store import recruitment as store
from boroughhub.organisations import Organisation, Role, require_role

from .common import CSV, XLSX, acting_of, download, form_errors


def _boroughs() -> list[tuple[str, str]]:
    return list(Organisation.objects.filter(type="borough").order_by("name").values_list("id", "name"))


@require_GET
@require_role(Role.PROGRAMME_MANAGER)
def vacancies(request: HttpRequest) -> HttpResponse:
    rows = store.placement_rows()
    days = sorted(row.days_to_fill for row in rows)
    return render(request, "network/recruitment/list.html", {
        "vacancies": Vacancy.objects.select_related("organisation").prefetch_related("candidates"),
        "placements": rows, "total": total_saving(rows),
        "median_days": days[len(days) // 2] if days else None})


@require_http_methods(["GET", "POST"])
@require_role(Role.PROGRAMME_MANAGER)
def new_vacancy(request: HttpRequest) -> HttpResponse:
    form = VacancyForm(request.POST if request.method == "POST" else None, boroughs=_boroughs())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vacancy = store.open_vacancy(data["role"], data["grade"], data["organisation"], london_today(),
                                     acting_of(request).user)
        return redirect(f"/recruitment/{vacancy.reference}")
    return render(request, "network/recruitment/new.html", {"form": form, "form_errors": form_errors(form),
                                                             "boroughs": _boroughs()})


@require_http_methods(["GET", "POST"])
@require_role(Role.PROGRAMME_MANAGER)
def vacancy(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(Vacancy.objects.select_related("organisation"), reference=reference)
    user = acting_of(request).user
    candidate_form = CandidateForm(request.POST if request.POST.get("step") == "shortlist" else None)
    filled_form = FilledForm(request.POST if request.POST.get("step") == "filled" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "shortlist" and candidate_form.is_valid():
            store.shortlist(found, candidate_form.cleaned_data["name"], candidate_form.cleaned_data["source"], user)
            return redirect(f"/recruitment/{found.reference}")
        if step == "outcome":
            chosen = request.POST.get("candidate", "")
            candidate = get_object_or_404(Candidate, pk=int(chosen) if chosen.isdigit() else 0, vacancy=found)
            if request.POST.get("outcome") not in dict(Candidate.OUTCOMES):
                raise Http404("No such outcome")
            store.record_outcome(candidate, request.POST["outcome"], user)
            return redirect(f"/recruitment/{found.reference}")
        if step == "filled" and filled_form.is_valid() and filled_form.filled_on:
            data = filled_form.cleaned_data
            assumptions = SavingAssumptions(data["salary"], data["agency_fee_rate"] / 100, data["office_cost"],
                                            data["assumption_source"])
            problems = assumptions.problems()
            if filled_form.filled_on < found.opened_on:
                filled_form.add_error("filled", "The vacancy cannot be filled before it was opened.")
            for problem in problems:
                filled_form.add_error(None, problem)
            if not filled_form.errors:
                appointed = found.candidates.filter(outcome="appointed").first()
                store.mark_filled(found, filled_form.filled_on, appointed.source if appointed else "", assumptions, user)
                return redirect(f"/recruitment/{found.reference}")
    errors = form_errors(candidate_form) + form_errors(filled_form)
    return render(request, "network/recruitment/vacancy.html", {
        "vacancy": found, "candidates": found.candidates.all(), "outcomes": Candidate.OUTCOMES,
        "candidate_form": candidate_form, "filled_form": filled_form, "form_errors": errors,
        "default_rate": DEFAULT_AGENCY_FEE_RATE * 100, "default_office_cost": DEFAULT_OFFICE_COST})


@require_GET
@require_role(Role.PROGRAMME_MANAGER)
def placements_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Download as placements.csv or placements.xlsx")
    rows = store.placement_rows()
    record_request_event(request, "access", "ok", action="placements_exported", row_count=len(rows),
                         payload={"format": fmt})
    if fmt == "xlsx":
        return download(placements_xlsx(rows), XLSX, "recruitment-placements.xlsx")
    return download(placements_csv(rows), CSV, "recruitment-placements.csv")
