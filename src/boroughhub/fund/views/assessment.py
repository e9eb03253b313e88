"""Assessing and moderating. An assessor declares a conflict (and then cannot score), or scores each
criterion with a justification and may flag a concern; other assessors' scores are shown only once
their own are submitted. The panel sees the spread and agrees a moderated score."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from boroughhub.fund.models import Application
from boroughhub.fund.scoring import DISCUSS_GAP, spread, visible_scores
from boroughhub.fund.store import (
    FundRefused,
    declare_conflict,
    moderate,
    raise_flag,
    save_scores,
    scores_of,
    submitted_assessors,
)
from boroughhub.fund.store.assessment import conflicted_assessors, plain_criteria
from boroughhub.organisations import User, require_role

from .common import ASSESSORS, PANEL, acting, application_for, errors_of, pounds


def _names(ids: set[str]) -> dict[str, str]:
    return {str(u.pk): (u.display_name or u.email) for u in User.objects.filter(pk__in=ids)}


def _assess_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    me = str(acting(request).user.pk)
    submitted = submitted_assessors(application)
    shown = visible_scores(me, scores_of(application), submitted)
    mine = {s.criterion: s for s in shown if s.assessor == me}
    others = [s for s in shown if s.assessor != me]
    return {
        "application": application, "criteria": application.round.criteria.all(), "mine": mine, "others": others,
        "names": _names({s.assessor for s in others}), "submitted": me in submitted,
        "conflicted": me in conflicted_assessors(application), "pounds": pounds,
        "hidden_count": len({s.assessor for s in scores_of(application)} - {me}) if me not in submitted else 0,
        "flags": application.flags.filter(assessor=acting(request).user), "form_errors": [],
    }


@require_http_methods(["GET", "POST"])
@require_role(*ASSESSORS)
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    who, now = acting(request), timezone.now()
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "conflict":
                declare_conflict(application, who.user, request.POST.get("reason", ""), org_id=who.org_id,
                                 role=str(who.role), now=now)
            elif action == "flag":
                raise_flag(application, who.user, request.POST.get("concern", ""), org_id=who.org_id,
                           role=str(who.role), now=now)
            else:
                entries = {c.key: (_whole(request.POST.get(f"score-{c.key}", "")),
                                   request.POST.get(f"justification-{c.key}", ""))
                           for c in application.round.criteria.all()}
                save_scores(application, who.user, entries, submit=action == "submit", org_id=who.org_id,
                            role=str(who.role), now=now)
        except FundRefused as refused:
            problems = refused.problems
        else:
            return redirect("fund:assess", pk=pk)
    context = _assess_context(request, application)
    context["form_errors"] = errors_of(problems)
    context["entered"] = request.POST if problems else {}
    return render(request, "fund/assess.html", context, status=400 if problems else 200)


def _whole(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@require_role(*PANEL)
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    who = acting(request)
    criteria = plain_criteria(application)
    problems: list[str] = []
    if request.method == "POST":
        agreed = {c.key: _whole(request.POST.get(f"agreed-{c.key}", "")) for c in criteria}
        try:
            moderate(application, agreed, request.POST.get("note", ""), user=who.user, org_id=who.org_id,
                     role=str(who.role), now=timezone.now())
        except FundRefused as refused:
            problems = refused.problems
        else:
            return redirect("fund:selection", round_id=application.round.round_id)
    scores = scores_of(application)
    submitted = submitted_assessors(application)
    agreed_now = {m.criterion.key: m.score for m in application.moderated_scores.select_related("criterion")}
    return render(request, "fund/moderate.html", {
        "application": application, "spread": spread(criteria, scores, submitted), "discuss_gap": DISCUSS_GAP,
        "scores": visible_scores("", scores, submitted, panel=True), "names": _names({s.assessor for s in scores}),
        "submitted": submitted, "agreed": agreed_now, "entered": request.POST if problems else {},
        "flags": application.flags.all(), "conflicts": application.conflicts.count(), "pounds": pounds,
        "form_errors": errors_of(problems)}, status=400 if problems else 200)
