"""The programme manager's form for a new round. Times are entered in London time, as applicants see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.fund.rules import LONDON
from boroughhub.fund.store import FundRefused
from boroughhub.fund.store.new_round import CriterionEntry, NewRound, open_round
from boroughhub.organisations import require_role

from .common import PANEL, acting, errors_of

CRITERION_ROWS = 6


def _pence(text: str) -> int:
    try:
        return round(float(text.replace(",", "").replace("£", "").strip()) * 100)
    except ValueError:
        return 0


def _london(day: str, time: str) -> datetime | None:
    try:
        return datetime.fromisoformat(f"{day.strip()}T{time.strip() or '00:00'}").replace(tzinfo=LONDON)
    except ValueError:
        return None


def _number(text: str, default: float = -1) -> float:
    try:
        return float(text)
    except ValueError:
        return default


def _new_round_from(post: Any) -> tuple[NewRound | None, list[str]]:
    opens_at = _london(post.get("opens_on", ""), post.get("opens_time", ""))
    closes_at = _london(post.get("closes_on", ""), post.get("closes_time", ""))
    problems = []
    if opens_at is None:
        problems.append("Opens: give the date as YYYY-MM-DD and the time as HH:MM (London time).")
    if closes_at is None:
        problems.append("Closes: give the date as YYYY-MM-DD and the time as HH:MM (London time).")
    criteria = []
    for n in range(1, CRITERION_ROWS + 1):
        title = post.get(f"criterion-{n}", "").strip()
        if title:
            criteria.append(CriterionEntry(title, int(_number(post.get(f"weight-{n}", ""), 0)),
                                           post.get(f"guidance-{n}", "")))
    if problems or opens_at is None or closes_at is None:
        return None, problems
    return NewRound(
        round_id=post.get("round_id", "").strip(), title=post.get("title", ""),
        description=post.get("description", ""), budget_pence=_pence(post.get("budget", "")),
        maximum_pence=_pence(post.get("maximum", "")), opens_at=opens_at, closes_at=closes_at,
        minimum_partner_boroughs=max(int(_number(post.get("minimum_partner_boroughs", "1"), 1)), 0),
        threshold=_number(post.get("threshold", "50")), public_listing=post.get("public_listing") == "yes",
        criteria=criteria), []


@require_http_methods(["GET", "POST"])
@require_role(*PANEL)
def new_round(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    if request.method == "POST":
        entered, problems = _new_round_from(request.POST)
        if entered is not None:
            who = acting(request)
            try:
                round_ = open_round(entered, user=who.user, org_id=who.org_id, role=str(who.role))
            except FundRefused as refused:
                problems = refused.problems
            else:
                return redirect("fund:round", round_id=round_.round_id)
    return render(request, "fund/new_round.html", {"values": request.POST, "rows": range(1, CRITERION_ROWS + 1),
                                                   "form_errors": errors_of(problems)},
                  status=400 if problems else 200)
