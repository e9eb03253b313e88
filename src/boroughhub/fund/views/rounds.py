"""Rounds: the list, a round's page (what each role does there), closing early, the selection and
decision, and the 360Giving downloads."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boroughhub.audit import record_request_event
from boroughhub.fund.giving360 import (
    package,
    spreadsheet_csv,
    spreadsheet_rows,
    spreadsheet_xlsx,
    validation_problems,
)
from boroughhub.fund.models import Application, Round
from boroughhub.fund.rules import london_time, round_status
from boroughhub.fund.selection import funded_total
from boroughhub.fund.store import FundRefused, awarded_grants, decide_round, selection_for
from boroughhub.organisations import Role, require_role

from .common import EVERYONE, PANEL, acting, errors_of, pounds


@require_GET
@require_role(*EVERYONE)
def round_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rounds = [(r, round_status(r.opens_at, r.closes_at, r.decided_at is not None, now))
              for r in Round.objects.all()]
    return render(request, "fund/rounds.html", {"rounds": rounds, "pounds": pounds, "london_time": london_time})


@require_GET
@require_role(*EVERYONE)
def round_page(request: HttpRequest, round_id: str) -> HttpResponse:
    round_ = get_object_or_404(Round, round_id=round_id)
    now, who = timezone.now(), acting(request)
    status = round_status(round_.opens_at, round_.closes_at, round_.decided_at is not None, now)
    listed = []
    if who.role == Role.PROJECT_LEAD:
        applications = round_.applications.filter(lead_organisation_id=who.org_id)
        if round_.public_listing:
            listed = list(round_.applications.filter(status="submitted").exclude(lead_organisation_id=who.org_id)
                          .select_related("lead_organisation"))
    else:
        applications = round_.applications.filter(status="submitted")
    return render(request, "fund/round.html", {
        "round": round_, "status": status, "listed": listed, "applications": applications.select_related("lead_organisation"),
        "pounds": pounds, "london_time": london_time, "criteria": round_.criteria.all(),
        "progress": _assessor_progress(request, list(applications)) if who.role == Role.FUND_ASSESSOR else {},
        "form_errors": []})


def _assessor_progress(request: HttpRequest, applications: list[Application]) -> dict[int, str]:
    """For an assessor: where they are with each application."""
    user = acting(request).user
    progress = {}
    for application in applications:
        if application.conflicts.filter(assessor=user).exists():
            progress[application.pk] = "Conflict declared"
        elif application.assessor_submissions.filter(assessor=user).exists():
            progress[application.pk] = "Scores submitted"
        else:
            progress[application.pk] = "To assess"
    return progress


@require_POST
@require_role(*PANEL)
def close_now(request: HttpRequest, round_id: str) -> HttpResponse:
    """The panel closes an open round early (say, once every expected application is in); audited."""
    round_ = get_object_or_404(Round, round_id=round_id)
    now = timezone.now()
    if now < round_.closes_at and round_.decided_at is None:
        old = round_.closes_at
        round_.closes_at = max(now, round_.opens_at)
        round_.save(update_fields=["closes_at"])
        record_request_event(request, "registry", "ok", action="round_closed_early",
                             payload={"round": round_id, "was": old.isoformat(), "now": now.isoformat()})
    return redirect("fund:round", round_id=round_id)


@require_http_methods(["GET", "POST"])
@require_role(*PANEL)
def selection(request: HttpRequest, round_id: str) -> HttpResponse:
    round_ = get_object_or_404(Round, round_id=round_id)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        who = acting(request)
        try:
            decide_round(round_, user=who.user, org_id=who.org_id, role=str(who.role), now=timezone.now(),
                         who_name=(who.user.display_name or who.user.email)[:200])
        except FundRefused as refused:
            errors = errors_of(refused.problems, "#decide")
        else:
            return redirect("fund:selection", round_id=round_id)
    chosen = selection_for(round_)
    applications = {a.reference: a for a in round_.applications.filter(status="submitted")}
    if round_.decided_at is not None:
        # After the decision, show what was recorded (the same reasons the applicants were sent).
        recorded = {a.reference: a for a in applications.values()}
        chosen = [c for c in chosen if c.candidate.reference in recorded]
    return render(request, "fund/selection.html", {
        "round": round_, "chosen": chosen, "applications": applications, "pounds": pounds,
        "funded": funded_total(chosen), "form_errors": errors, "london_time": london_time,
        "closed": timezone.now() >= round_.closes_at}, status=400 if errors else 200)


@require_GET
@require_role(*PANEL)
def export(request: HttpRequest, round_id: str, fmt: str) -> HttpResponse:
    if fmt not in ("json", "xlsx", "csv"):
        raise Http404("The 360Giving export downloads as JSON, XLSX or CSV.")
    round_ = get_object_or_404(Round, round_id=round_id)
    try:
        grants = awarded_grants(round_)
    except FundRefused:
        raise Http404("This round has not been decided yet.") from None
    data = package(grants, title=f"{round_.title}: awarded grants", issued=timezone.now())
    problems = validation_problems(data)
    if problems or not grants:
        raise Http404("The export does not validate; nothing to download.")
    record_request_event(request, "access", "ok", action="grants_360_exported",
                         payload={"round": round_id, "format": fmt, "grants": len(grants)})
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2).encode("utf-8"), content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(spreadsheet_csv(spreadsheet_rows(data)).encode("utf-8"),
                                content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(spreadsheet_xlsx(spreadsheet_rows(data)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{round_id}-360giving.{fmt}"'
    return response

