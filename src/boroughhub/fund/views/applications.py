"""Applying: a lead borough's project lead drafts an application shaped by the method (outcome,
problem, idea, partners, enablers, budget lines), then submits it while the round is open."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from boroughhub.fund.models import Application, Comment, Round
from boroughhub.fund.rules import london_time, round_status
from boroughhub.fund.store import FundRefused, save_application, submit_application
from boroughhub.organisations import Organisation, Role, require_role
from boroughhub.projects import ENABLER_LABELS

from .common import APPLICANTS, EVERYONE, acting, application_for, errors_of, pounds

BUDGET_ROWS = 5


def _values_from(post: Any) -> tuple[dict[str, Any], list[str]]:
    """The form's values, and what is wrong with its budget lines (named by row)."""
    lines, problems = [], []
    for n in range(1, BUDGET_ROWS + 1):
        item, amount = post.get(f"item-{n}", "").strip(), post.get(f"amount-{n}", "").strip().replace(",", "")
        if not item and not amount:
            continue
        try:
            pence = round(float(amount.lstrip("£")) * 100)
        except ValueError:
            problems.append(f"Budget line {n}: give the amount in pounds, for example 12500.")
            continue
        if not item or pence <= 0:
            problems.append(f"Budget line {n}: give both what it is for and an amount above £0.")
            continue
        lines.append({"item": item, "amount_pence": pence})
    values = {
        "title": post.get("title", ""), "partner_boroughs": post.getlist("partner_boroughs"),
        "other_partners": post.get("other_partners", ""), "outcome_statement": post.get("outcome_statement", ""),
        "problem": post.get("problem", ""), "idea": post.get("idea", ""),
        "has_technology": post.get("has_technology") == "yes",
        "enablers": {key: post.get(f"enabler-{key}", "").strip() for key in ENABLER_LABELS
                     if post.get(f"enabler-{key}", "").strip()},
        "budget_lines": lines,
    }
    return values, problems


def _form_context(request: HttpRequest, round_: Round, application: Application | None) -> dict[str, Any]:
    lines = list(application.budget_lines) if application else []
    return {
        "round": round_, "application": application, "pounds": pounds, "london_time": london_time,
        "boroughs": Organisation.objects.filter(type="borough").exclude(pk=acting(request).org_id).order_by("name"),
        "enablers": ENABLER_LABELS, "budget_rows": [(n, lines[n - 1] if n <= len(lines) else None)
                                                    for n in range(1, BUDGET_ROWS + 1)],
        "form_errors": [],
    }


@require_http_methods(["GET", "POST"])
@require_role(*APPLICANTS)
def apply(request: HttpRequest, round_id: str) -> HttpResponse:
    round_ = get_object_or_404(Round, round_id=round_id)
    context = _form_context(request, round_, None)
    if request.method == "POST":
        values, problems = _values_from(request.POST)
        if not problems:
            who = acting(request)
            try:
                application = save_application(None, round_=round_, values=values, user=who.user, org_id=who.org_id,
                                               now=timezone.now())
            except FundRefused as refused:
                problems = refused.problems
            else:
                return redirect("fund:application", pk=application.pk)
        context["form_errors"] = errors_of(problems)
    return render(request, "fund/apply.html", context, status=400 if context["form_errors"] else 200)


@require_http_methods(["GET", "POST"])
@require_role(*EVERYONE)
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    round_, who, now = application.round, acting(request), timezone.now()
    context = _form_context(request, round_, application)
    editable = application.status == "draft" and who.role == Role.PROJECT_LEAD
    if request.method == "POST":
        action = request.POST.get("action", "")
        problems: list[str] = []
        if action == "comment":
            problems = _comment(request, application)
        elif not editable:
            raise Http404("Only a draft is changed, by its own borough.")
        else:
            values, problems = _values_from(request.POST)
            if not problems:
                try:
                    save_application(application, round_=round_, values=values, user=who.user, org_id=who.org_id,
                                     now=now)
                    if action == "submit":
                        application.refresh_from_db()
                        submit_application(application, user=who.user, org_id=who.org_id, role=str(who.role), now=now)
                except FundRefused as refused:
                    problems = refused.problems
        if not problems:
            return redirect("fund:application", pk=application.pk)
        application.refresh_from_db()
        context = _form_context(request, round_, application)
        context["form_errors"] = errors_of(problems)
    context.update({
        "editable": editable, "status": round_status(round_.opens_at, round_.closes_at, round_.decided_at is not None,
                                                     now),
        "names": dict(Organisation.objects.values_list("pk", "name")),
        "comments": application.comments.select_related("organisation") if round_.public_listing else [],
    })
    return render(request, "fund/application.html", context, status=400 if context["form_errors"] else 200)


def _comment(request: HttpRequest, application: Application) -> list[str]:
    body = request.POST.get("body", "").strip()
    if not application.round.public_listing or application.status != "submitted":
        return ["This application is not listed for comments."]
    if not body:
        return ["Write your comment."]
    who = acting(request)
    Comment.objects.create(application=application, author=who.user, organisation_id=who.org_id, body=body,
                           written_at=timezone.now())
    return []
