"""The frontline worker's pages (search, a resident's services, an involvement, addresses, break-glass)
and the privacy officer's oversight pages. Thin: every rule is in ``store.tiers`` and ``store.breakglass``,
shared with ``boroughhub residents search``."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from boroughhub import audit
from boroughhub.agreements import guard_page
from boroughhub.organisations import DataUse, PageAccess, Role, error_list, require_role

from .forms import BreakGlassForm, CloseAlertForm, SearchForm
from .history_files import history_csv, history_xlsx, rows
from .models import BreakGlassAlert, MatchingRun
from .store import oversight
from .store.breakglass import use_break_glass
from .store.tiers import Refused, Worker, addresses, flags, involvement_detail, search, worker_from
from .vocabulary import INVOLVEMENT_DATASET, SAFEGUARDING, SERVICES, TIER_FIELDS, Tier
from .words import long_date

#: The worker's pages open for a frontline worker whose organisation an agreement lets search residents.
WORKER_PAGES = PageAccess(frozenset({Role.FRONTLINE_WORKER}), (
    DataUse.of("view_record", INVOLVEMENT_DATASET, TIER_FIELDS[Tier.SEARCH], SAFEGUARDING),))
PURPOSE_KEY = "residents_purpose_of_use"


def _worker(request: HttpRequest) -> Worker:
    acting = request.acting  # type: ignore[attr-defined]
    return worker_from(acting.user, acting.org_id, acting.role, audit.session_reference(request))


def _purpose(request: HttpRequest) -> str | None:
    return request.session.get(PURPOSE_KEY)


def _names() -> dict[str, str]:
    from boroughhub.organisations import Organisation

    return dict(Organisation.objects.values_list("id", "name"))


@never_cache
@guard_page(WORKER_PAGES)
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.POST or None, initial={"purpose": _purpose(request) or ""})
    results: list[dict[str, Any]] | None = None
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request.session[PURPOSE_KEY] = data["purpose"]
        try:
            results = search(_worker(request), data["surname"], data["purpose"], data["forename"], data["date_of_birth"])
        except Refused as refused:
            refusal = str(refused)
    status = 400 if form.errors or refusal else 200
    shown = None if results is None else [{
        **r, "born": long_date(r["date_of_birth"]),
        "break_glass_until_at": datetime.fromisoformat(r["break_glass_until"]) if r["break_glass_until"] else None,
    } for r in results]
    return render(request, "residents/search.html", {
        "form": form, "form_errors": error_list(form) if form.errors else [], "results": shown, "refusal": refusal,
    }, status=status)


def _needs_purpose(request: HttpRequest) -> HttpResponse | None:
    if not _purpose(request):
        return redirect("residents:search")
    return None


def _refused(request: HttpRequest, refusal: Refused) -> HttpResponse:
    return render(request, "residents/refused.html", {"message": str(refusal)}, status=403)


@never_cache
@guard_page(WORKER_PAGES)
def resident_page(request: HttpRequest, resident_id: str) -> HttpResponse:
    stop = _needs_purpose(request)
    if stop:
        return stop
    try:
        shown = flags(_worker(request), resident_id, _purpose(request) or "")
    except Refused as refused:
        return _refused(request, refused)
    return render(request, "residents/resident.html", {"resident": shown, "names": _names(), "purpose": _purpose(request),
                                                       "long_date": long_date})


@never_cache
@guard_page(WORKER_PAGES)
def involvement_page(request: HttpRequest, resident_id: str, involvement_id: int) -> HttpResponse:
    stop = _needs_purpose(request)
    if stop:
        return stop
    try:
        detail = involvement_detail(_worker(request), resident_id, involvement_id, _purpose(request) or "")
    except Refused as refused:
        return _refused(request, refused)
    return render(request, "residents/involvement.html", {
        "detail": detail, "service": SERVICES[detail["source"]], "names": _names(), "long_date": long_date})


@never_cache
@guard_page(WORKER_PAGES)
def addresses_page(request: HttpRequest, resident_id: str) -> HttpResponse:
    stop = _needs_purpose(request)
    if stop:
        return stop
    try:
        known = addresses(_worker(request), resident_id, _purpose(request) or "")
    except Refused as refused:
        return _refused(request, refused)
    return render(request, "residents/addresses.html", {"known": known, "services": SERVICES, "names": _names(),
                                                          "long_date": long_date})


@never_cache
@guard_page(WORKER_PAGES)
def break_glass_page(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None, initial={"purpose": _purpose(request) or ""})
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request.session[PURPOSE_KEY] = data["purpose"]
        acting = request.acting  # type: ignore[attr-defined]
        try:
            opened = use_break_glass(_worker(request), data["surname"], data["date_of_birth"], data["reason"],
                                     data["purpose"], acting.organisation.name)
        except Refused as refused:
            refusal = str(refused)
        else:
            return redirect("residents:resident", resident_id=opened[0])
    return render(request, "residents/break_glass.html", {
        "form": form, "form_errors": error_list(form) if form.errors else [], "refusal": refusal,
    }, status=400 if form.errors or refusal else 200)


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def alerts_page(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    alerts = list(oversight.alerts_for(acting.org_id))
    audit.record_request_event(request, "audit_read", "ok", payload={"report": "break_glass_alerts",
                                                                     "entries_shown": len(alerts)})
    return render(request, "residents/alerts.html", {"alerts": alerts, "names": _names()})


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def alert_page(request: HttpRequest, alert_id: int) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    alert = get_object_or_404(BreakGlassAlert.objects.select_related("break_glass", "break_glass__resident",
                                                                     "break_glass__user"),
                              pk=alert_id, organisation_id=acting.org_id)
    form = CloseAlertForm(request.POST or None)
    if request.method == "POST" and alert.status == BreakGlassAlert.OPEN and form.is_valid():
        oversight.close_alert(request, alert, form.cleaned_data["outcome"], form.cleaned_data["note"])
        return redirect("residents:alerts")
    audit.record_request_event(request, "audit_read", "ok", payload={"report": "break_glass_alert", "alert": alert.pk})
    return render(request, "residents/alert.html", {
        "alert": alert, "form": form, "form_errors": error_list(form) if form.errors else [], "names": _names(),
        "outcomes": dict(BreakGlassAlert.OUTCOMES)}, status=400 if form.errors else 200)


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def spot_checks_page(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    today = timezone.localdate()
    sample = oversight.spot_check_sample(acting.org_id, today)
    start, end = oversight.week_of(today)
    audit.record_request_event(request, "audit_read", "ok", payload={"report": "spot_checks", "week": start.isoformat(),
                                                                     "entries_shown": len(sample)})
    return render(request, "residents/spot_checks.html", {"sample": sample, "start": start, "names": _names(),
                                                           "per_week": oversight.SPOT_CHECKS_PER_WEEK})


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def history_page(request: HttpRequest) -> HttpResponse:
    """A resident's access history for a subject access request: found by surname and date of birth among
    the residents the officer's organisation supplies data on (or whom its workers opened)."""
    acting = request.acting  # type: ignore[attr-defined]
    form = SearchForm(request.GET or None, initial={"purpose": "Subject access request"})
    show_staff = request.GET.get("staff") == "shown"
    found: list[Any] | None = None
    histories: list[tuple[Any, list[oversight.AccessLine]]] = []
    if request.GET and form.is_valid() and form.cleaned_data["date_of_birth"] is None:
        form.add_error("dob_day", "Enter the date of birth: a subject access request names one person.")
    if request.GET and form.is_valid():
        found = oversight.residents_known_to(acting.org_id, form.cleaned_data["surname"], form.cleaned_data["date_of_birth"])
        histories = [(r, oversight.access_history(r.resident_id, show_staff)) for r in found]
        audit.record_request_event(request, "audit_read", "ok", payload={
            "report": "resident_access_history", "residents": [r.resident_id for r in found], "staff_shown": show_staff,
            "reason": form.cleaned_data["purpose"]})
    if not request.GET:
        form = SearchForm(initial={"purpose": "Subject access request"})
    return render(request, "residents/history.html", {
        "form": form, "form_errors": error_list(form) if form.errors else [], "found": found, "histories": histories,
        "show_staff": show_staff, "names": _names(), "query": request.GET.urlencode()},
        status=400 if form.errors else 200)


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def history_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """One resident's access history as CSV or XLSX: the page's rows, its staff choice, audited with the file's hash."""
    if file_format not in ("csv", "xlsx"):
        raise Http404("Download the history as .csv or .xlsx.")
    acting = request.acting  # type: ignore[attr-defined]
    form = SearchForm(request.GET or None)
    if not (form.is_valid() and form.cleaned_data["date_of_birth"]):
        return history_page(request)
    found = {r.resident_id: r for r in oversight.residents_known_to(
        acting.org_id, form.cleaned_data["surname"], form.cleaned_data["date_of_birth"])}
    resident = found.get(request.GET.get("resident", ""))
    if resident is None:
        return history_page(request)
    show_staff = request.GET.get("staff") == "shown"
    table = rows(oversight.access_history(resident.resident_id, show_staff), _names(), show_staff)
    body = history_csv(table, show_staff) if file_format == "csv" else history_xlsx(table, show_staff)
    audit.record_request_event(request, "audit_read", "ok", export_sha256=hashlib.sha256(body).hexdigest(), payload={
        "report": f"resident_access_history_{file_format}", "residents": [resident.resident_id],
        "staff_shown": show_staff, "reason": form.cleaned_data["purpose"], "entries_exported": len(table)})
    kinds = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(body, content_type=kinds[file_format])
    response["Content-Disposition"] = (f'attachment; filename="resident-access-history-'
                                       f'{timezone.localdate().isoformat()}.{file_format}"')
    return response



@never_cache
@require_role(Role.DATA_MANAGER)
def matching_page(request: HttpRequest) -> HttpResponse:
    """How each load's people were matched to residents, in counts (no person is named)."""
    runs = list(MatchingRun.objects.all()[:50])
    audit.record_request_event(request, "access", "ok", action="view_matching_runs", payload={"runs_shown": len(runs)})
    return render(request, "residents/matching.html", {"runs": runs})
