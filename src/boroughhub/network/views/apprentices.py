"""The Apprentice Hub's pages: an apprentice's hub (career support near the end date, open roles, sessions
attended), joining and what to share, the directory members search, and opportunities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.audit import record_request_event
from boroughhub.network.apprentices.career import OpportunityKind, nearing_end
from boroughhub.network.apprentices.directory import (
    SHAREABLE_FIELDS,
    SHARED_BY_DEFAULT,
    DirectorySearch,
    filter_options,
    search_directory,
)
from boroughhub.network.apprentices.portfolio import AttendedSession, portfolio_csv
from boroughhub.network.clock import london_today
from boroughhub.network.forms import ApprenticeForm, OpportunityForm
from boroughhub.network.models import Apprentice
from boroughhub.network.store import apprentices as store
from boroughhub.network.store.events import sessions_attended
from boroughhub.organisations import Organisation, Role, require_role

from .common import CSV, acting_of, download, form_errors

#: Who posts opportunities: member organisations' apprentice managers and organisers, the programme
#: team (recruiters' offers come through the programme manager).
POSTERS = (Role.APPRENTICE_MANAGER, Role.EVENT_ORGANISER, Role.PROGRAMME_MANAGER)


@require_GET
@require_role(Role.APPRENTICE, Role.APPRENTICE_MANAGER)
def hub(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    today = london_today()
    apprentice = Apprentice.objects.filter(user=acting.user).first()
    near_end = apprentice is not None and nearing_end(apprentice.end_date, today)
    context = {
        "apprentice": apprentice, "near_end": near_end, "today": today,
        "open_roles": store.open_opportunities(today, frozenset({OpportunityKind.JOB})) if near_end else [],
        "opportunities": store.open_opportunities(today)[:10],
        "attended": sessions_attended(acting.user),
        "managed": Apprentice.objects.filter(organisation=acting.organisation).order_by("end_date")
        if acting.role == Role.APPRENTICE_MANAGER else [],
    }
    return render(request, "network/apprentices/hub.html", context)


@require_http_methods(["GET", "POST"])
@require_role(Role.APPRENTICE)
def profile(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    existing = Apprentice.objects.filter(user=acting.user).first()
    initial = ({"name": existing.name, "standard": existing.standard, "level": existing.level, "cohort": existing.cohort,
                "interests": existing.interests, "shared": existing.shared} if existing
               else {"name": acting.user.display_name, "shared": sorted(SHARED_BY_DEFAULT)})
    form = ApprenticeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and form.end_date:
        data = form.cleaned_data
        store.save_profile(acting.user, acting.organisation.pk, name=data["name"], standard=data["standard"],
                           level=data["level"], cohort=data["cohort"], end_date=form.end_date,
                           interests=data.get("interests", ""), shared=data.get("shared", []))
        return redirect("/apprentices/")
    end = ({"end-day": existing.end_date.day, "end-month": existing.end_date.month, "end-year": existing.end_date.year}
           if existing else {})
    shared = form.data.getlist("shared") if form.is_bound else initial["shared"]
    return render(request, "network/apprentices/profile.html", {
        "form": form, "form_errors": form_errors(form), "fields": SHAREABLE_FIELDS, "shared": shared,
        "initial_end": end, "existing": existing})


def _borough_names() -> dict[str, str]:
    return dict(Organisation.objects.filter(type="borough").values_list("id", "name"))


@require_GET
@require_role()
def directory(request: HttpRequest) -> HttpResponse:
    profiles = store.all_profiles()
    search = DirectorySearch(borough=request.GET.get("borough", ""), standard=request.GET.get("standard", ""),
                             cohort=request.GET.get("cohort", ""), words=request.GET.get("q", "")[:100])
    names = _borough_names()
    entries = search_directory(profiles, search, names)
    record_request_event(request, "access", "ok", action="directory_searched", row_count=len(entries),
                         payload={"borough": search.borough, "standard": search.standard, "cohort": search.cohort})
    return render(request, "network/apprentices/directory.html", {
        "search": search, "entries": entries[:100], "found": len(entries),
        "boroughs": [(value, names.get(value, value)) for value in filter_options(profiles, "borough")],
        "standards": [(v, v) for v in filter_options(profiles, "standard")],
        "cohorts": [(v, v) for v in filter_options(profiles, "cohort")]})


@require_GET
@require_role()
def opportunities(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kinds = frozenset({OpportunityKind(kind)}) if kind in {k.value for k in OpportunityKind} else None
    return render(request, "network/apprentices/opportunities.html", {
        "opportunities": store.open_opportunities(london_today(), kinds), "kind": kind, "kinds": list(OpportunityKind),
        "may_post": acting_of(request).role in POSTERS})


@require_http_methods(["GET", "POST"])
@require_role(*POSTERS)
def new_opportunity(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.closes_on:
        if form.closes_on < london_today():
            form.add_error("closes", "The closing date must be today or later.")
        else:
            acting = acting_of(request)
            data = form.cleaned_data
            store.post_opportunity(data["title"], OpportunityKind(data["kind"]), data["description"], form.closes_on,
                                   acting.organisation.pk, acting.user, str(acting.role))
            return redirect("/apprentices/opportunities")
    return render(request, "network/apprentices/new_opportunity.html", {"form": form, "form_errors": form_errors(form)})


@require_GET
@require_role(Role.APPRENTICE)
def portfolio(request: HttpRequest) -> HttpResponse:
    """The signed-in apprentice's own sessions attended, for their portfolio."""
    acting = acting_of(request)
    sessions = [AttendedSession(r.event.title, r.event.organisation.name, r.event.starts_at, r.event.ends_at,
                                r.checked_in_at) for r in sessions_attended(acting.user)]
    record_request_event(request, "access", "ok", action="portfolio_exported", row_count=len(sessions))
    return download(portfolio_csv(sessions), CSV, "sessions-attended.csv")
