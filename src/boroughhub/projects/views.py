"""The projects pages: the portfolio and its views, "find projects like mine", the export, a project's
page (stage, enablers, indicators, updates, watching) and its public page.

Who may do what: project leads and programme managers read the whole portfolio (finding others' work
is its point); only the lead borough's project leads change a project
(docs/decisions/0111-who-changes-a-project.md). The public page needs no sign-in and shows only
the fields marked public.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.audit import record_request_event
from boroughhub.organisations import Organisation, Role, require_role

from .enablers import Enabler, Rating
from .indicator_chart import indicator_chart, progress_summary
from .models import IndicatorActual, OutcomeIndicator, Project
from .overdue import update_due
from .portfolio import (
    THEMES,
    by_enabler_risk,
    by_stage,
    by_theme,
    export_csv,
    export_json,
    export_xlsx,
    overdue,
    part_of,
    projects_like,
)
from .public import PUBLISHABLE_FIELDS, public_view
from .stages import Stage, allowed_targets
from .store import (
    NewProject,
    ProjectRefused,
    assess_enabler,
    change_details,
    create_project,
    last_update_at,
    move_stage,
    record_update,
    summaries,
    watch,
    who_of_request,
)

# The hub admin reads the portfolio too: it evaluates the collaboration, projects among it.
READERS = (Role.PROJECT_LEAD, Role.PROGRAMME_MANAGER, Role.HUB_ADMIN)
VIEWS = {"borough": "By borough", "stage": "By stage", "theme": "By theme", "risk": "Enabler risk",
         "overdue": "Overdue updates"}


def errors_of(problems: list[str], href: str = "#main-form") -> list[dict[str, str]]:
    return [{"text": problem, "href": href} for problem in problems]


def may_change(request: HttpRequest, project: Project) -> bool:
    acting = request.acting  # type: ignore[attr-defined]
    return bool(acting.role == Role.PROJECT_LEAD and acting.org_id == project.lead_organisation_id)


def organisation_names() -> dict[str, str]:
    return dict(Organisation.objects.values_list("pk", "name"))


@require_GET
@require_role(*READERS)
def portfolio(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    view = request.GET.get("view", "borough")
    if view not in VIEWS:
        view = "borough"
    boroughs = dict(Organisation.objects.filter(type="borough").values_list("pk", "name"))
    borough = request.GET.get("borough") or (acting.org_id if acting.org_id in boroughs else "")
    rows = summaries(timezone.now())
    context: dict[str, Any] = {"view": view, "views": VIEWS, "boroughs": boroughs, "borough": borough,
                               "names": organisation_names(), "themes": THEMES, "all_count": len(rows),
                               "overdue_count": len(overdue(rows)),
                               # A project lead is told of their own borough's overdue projects first.
                               "mine_overdue": [r for r in overdue(rows) if r.lead_organisation == acting.org_id]}
    if view == "borough":
        context["rows"] = part_of(rows, borough) if borough else rows
    elif view == "stage":
        context["groups"] = [(stage.label, group) for stage, group in by_stage(rows).items() if group]
    elif view == "theme":
        context["groups"] = [(THEMES.get(theme, theme), group) for theme, group in by_theme(rows).items() if group]
    elif view == "risk":
        context["rows"] = by_enabler_risk(rows)
    else:
        context["rows"] = overdue(rows)
    return render(request, "projects/portfolio.html", context)


@require_GET
@require_role(*READERS)
def similar(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("text", "").strip()
    themes = [t for t in request.GET.getlist("theme") if t in THEMES]
    found = projects_like(summaries(timezone.now()), text, themes) if (text or themes) else None
    return render(request, "projects/similar.html", {"text": text, "chosen": themes, "themes": THEMES,
                                                     "found": found, "names": organisation_names()})


@require_GET
@require_role(*READERS)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("json", "csv", "xlsx"):
        raise Http404("The portfolio downloads as projects.csv, projects.xlsx or projects.json.")
    rows = summaries(timezone.now())
    record_request_event(request, "access", "ok", action="projects_exported", payload={"format": fmt,
                                                                                       "projects": len(rows)})
    if fmt == "json":
        response = HttpResponse(export_json(rows).encode("utf-8"), content_type="application/json")
    elif fmt == "xlsx":
        response = HttpResponse(export_xlsx(rows), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        response = HttpResponse(export_csv(rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="projects.{fmt}"'
    return response


def _new_project_from(request: HttpRequest) -> NewProject:
    post = request.POST
    acting = request.acting  # type: ignore[attr-defined]
    title = post.get("title", "").strip()
    slug_base = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:60] or "project"
    slug, n = slug_base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{slug_base}-{n}"
    try:
        interval = int(post.get("update_interval_days", "30"))
    except ValueError:
        interval = 0
    return _with_dates_and_funding(post, NewProject(
        slug=slug, title=title, outcome_statement=post.get("outcome_statement", ""),
        lead_organisation=acting.org_id, problem=post.get("problem", ""),
        partners=tuple(p for p in post.getlist("partners") if p), themes=tuple(post.getlist("themes")),
        has_technology=post.get("has_technology") == "yes", update_interval_days=interval,
        funders=tuple(p for p in post.getlist("funders") if p), suppliers=tuple(p for p in post.getlist("suppliers") if p),
        public_fields=tuple(post.getlist("public_fields"))))


def _with_dates_and_funding(post: Any, new: NewProject) -> NewProject:
    """Dates (YYYY-MM-DD) and funding (£) as entered; what cannot be read is refused by name."""
    from dataclasses import replace
    from datetime import date

    problems = []
    dates: dict[str, date | None] = {}
    for name, label in (("starts_on", "Start date"), ("ends_on", "End date")):
        text = post.get(name, "").strip()
        try:
            dates[name] = date.fromisoformat(text) if text else None
        except ValueError:
            problems.append(f"{label}: give the date as YYYY-MM-DD, for example 2027-04-01.")
    funding_text = post.get("funding", "").replace(",", "").replace("£", "").strip()
    try:
        funding = round(float(funding_text) * 100) if funding_text else 0
    except ValueError:
        problems.append("Funding: give the amount in pounds, for example 25000.")
        funding = 0
    starts_on, ends_on = dates.get("starts_on"), dates.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problems.append("End date: the project cannot end before it starts.")
    if problems:
        raise ProjectRefused(problems)
    return replace(new, starts_on=starts_on, ends_on=ends_on, funding_pence=funding)


@require_http_methods(["GET", "POST"])
@require_role(Role.PROJECT_LEAD)
def new_project(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"themes": THEMES, "publishable": PUBLISHABLE_FIELDS, "values": request.POST,
                               "boroughs": Organisation.objects.filter(type="borough").order_by("name"),
                               "others": Organisation.objects.exclude(type="borough").order_by("name"),
                               "form_errors": []}
    if request.method == "POST":
        try:
            project = create_project(_new_project_from(request), who_of_request(request), timezone.now())
        except ProjectRefused as refused:
            context["form_errors"] = errors_of(refused.problems)
        else:
            return redirect("projects:project", slug=project.slug)
    return render(request, "projects/new.html", context, status=400 if context["form_errors"] else 200)


def _project_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    now = timezone.now()
    stage = Stage(project.stage)
    due = update_due(stage, project.created_at, last_update_at(project), project.update_interval_days, now)
    assessed = {a.enabler: a for a in project.enabler_assessments.all()}
    return {
        "project": project, "stage": stage, "due": due, "names": organisation_names(),
        "partners": project.partners.select_related("organisation").order_by("kind", "organisation__name"),
        "moves": project.moves.all(), "updates": project.updates.all()[:20],
        "enablers": [(e, assessed.get(e.value)) for e in Enabler], "ratings": [r.value for r in Rating],
        "targets": allowed_targets(stage, Stage(project.paused_from) if project.paused_from else None),
        "indicators": [(i, _chart_of(i)) for i in project.indicators.prefetch_related("actuals")],
        "may_change": may_change(request, project),
        "watching": project.watchers.filter(user=request.acting.user).exists(),  # type: ignore[attr-defined]
        "themes": THEMES, "publishable": PUBLISHABLE_FIELDS, "form_errors": [],
        "agreement_href": offered_agreement(request, project),
        "evaluation_href": offered_evaluation(request, project),
    }


def _chart_of(indicator: OutcomeIndicator) -> Any:
    actuals = [(a.period, a.value) for a in indicator.actuals.all()]
    chart = indicator_chart(indicator.name, indicator.baseline, indicator.target, actuals, indicator.unit)
    summary = progress_summary(indicator.name, indicator.baseline, indicator.target, actuals, indicator.unit)
    return {"svg": chart.svg() if chart else "", "summary": summary}


def offered_agreement(request: HttpRequest, project: Project) -> str | None:
    """The project's data sharing agreement, linked only when its page would open for this session."""
    from boroughhub.agreements import AgreementVersion, offered_url

    latest = AgreementVersion.objects.filter(agreement_id=project.agreement_id).order_by("-version").first()
    return offered_url(request, "agreements:version", latest.agreement_id, latest.version) if latest else None


def offered_evaluation(request: HttpRequest, project: Project) -> str | None:
    """The newest finished evaluation run's report (where the activity is assessed), else the list of
    runs; linked only when it would open for this session."""
    from boroughhub.agreements import offered_url
    from boroughhub.evaluation import RunStatus, run_store

    if not project.evaluation_activity:
        return None
    done = next((run for run in run_store().all() if run.status == RunStatus.DONE), None)
    if done is not None:
        return offered_url(request, "evaluation:run", done.id)
    return offered_url(request, "evaluation:index")


@require_http_methods(["GET", "POST"])
@require_role(*READERS)
def project_page(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=slug)
    context = _project_context(request, project)
    if request.method == "POST":
        # Anyone who may read a project may watch it; only its lead borough changes it.
        if request.POST.get("form") != "watch" and not may_change(request, project):
            raise Http404("Only the lead borough's project leads change a project.")
        problems = _change(request, project)
        if not problems:
            return redirect("projects:project", slug=project.slug)
        context = _project_context(request, project)
        context["form_errors"] = errors_of(problems, "#" + request.POST.get("form", "main-form"))
    return render(request, "projects/project.html", context, status=400 if context["form_errors"] else 200)


def _change(request: HttpRequest, project: Project) -> list[str]:
    """One of the project page's forms, named by its ``form`` field; the problems, or none."""
    post, who, now = request.POST, who_of_request(request), timezone.now()
    form = post.get("form", "")
    try:
        if form == "move":
            target = post.get("target", "")
            if target not in {s.value for s in Stage}:
                return ["Choose the stage to move to."]
            move_stage(project, Stage(target), who, now, post.get("note", ""))
        elif form == "update":
            record_update(project, post.get("summary", ""), who, now)
        elif form.startswith("enabler-"):
            enabler = Enabler(form.removeprefix("enabler-"))
            assess_enabler(project, enabler, post.get("rating", ""), post.get("note", ""), post.get("owner", ""),
                           who, now)
        elif form == "indicator":
            return _add_indicator(project, post)
        elif form == "details":
            try:
                interval = int(post.get("update_interval_days", ""))
            except ValueError:
                interval = 0
            change_details(project, title=post.get("title", ""), outcome_statement=post.get("outcome_statement", ""),
                           problem=post.get("problem", ""), themes=post.getlist("themes"),
                           has_technology=post.get("has_technology") == "yes", update_interval_days=interval, who=who)
        elif form == "links":
            return _set_links(project, post, who)
        elif form == "watch":
            watch(project, who, post.get("on") == "yes")
        else:
            return ["Choose what to change."]
    except ProjectRefused as refused:
        return refused.problems
    except ValueError:
        return ["Choose one of the options shown."]
    return []


def _add_indicator(project: Project, post: Any) -> list[str]:
    def number(name: str) -> float | None:
        try:
            return float(post.get(name, ""))
        except ValueError:
            return None

    if post.get("indicator_id"):
        indicator = project.indicators.filter(pk=post["indicator_id"]).first()
        value = number("value")
        if indicator is None or value is None or not post.get("period", "").strip():
            return ["Give the period (for example 2026-27 Q1) and the actual value as a number."]
        IndicatorActual.objects.update_or_create(indicator=indicator, period=post["period"].strip(),
                                                 defaults={"value": value})
        return []
    baseline, target = number("baseline"), number("target")
    if not post.get("name", "").strip() or baseline is None or target is None:
        return ["Give the indicator a name, and its baseline and target as numbers."]
    OutcomeIndicator.objects.create(project=project, name=post["name"].strip(), unit=post.get("unit", "").strip(),
                                    baseline=baseline, target=target)
    return []


def _set_links(project: Project, post: Any, who: Any) -> list[str]:
    from boroughhub.agreements import AgreementVersion

    agreement_id = post.get("agreement_id", "").strip()
    if agreement_id and not AgreementVersion.objects.filter(agreement_id=agreement_id).exists():
        return [f"There is no data sharing agreement {agreement_id!r}: give its id as the agreements page shows it."]
    fields = [f for f in post.getlist("public_fields") if f in PUBLISHABLE_FIELDS]
    project.agreement_id = agreement_id
    project.evaluation_activity = post.get("evaluation_activity", "").strip()[:120]
    project.public_fields = fields
    project.is_public = bool(fields)
    project.save(update_fields=["agreement_id", "evaluation_activity", "public_fields", "is_public"])
    from boroughhub.audit import record_event

    record_event("registry", "ok", user=who.user, org_id=who.org_id, role=who.role, action="project_links_set",
                 payload={"project": project.slug, "agreement_id": agreement_id, "public_fields": fields})
    return []


@require_GET
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """No sign-in: only published projects, only the fields marked public."""
    project = get_object_or_404(Project, slug=slug, is_public=True)
    names = organisation_names()
    fields: dict[str, object] = {
        "outcome_statement": project.outcome_statement, "problem": project.problem,
        "stage": Stage(project.stage).label,
        "organisations": ", ".join([names.get(project.lead_organisation_id, project.lead_organisation_id)] + [
            names.get(p.organisation_id, p.organisation_id) for p in project.partners.all()]),
        "themes": ", ".join(THEMES.get(t, t) for t in project.themes),
        "dates": " to ".join(d.strftime("%-d %B %Y") for d in (project.starts_on, project.ends_on) if d),
        "funding": f"£{project.funding_pence / 100:,.0f}" if project.funding_pence else "",
        "indicators": "; ".join(f"{i.name}: from {i.baseline:g} to {i.target:g} {i.unit}".strip()
                                for i in project.indicators.all()),
    }
    shown = public_view(fields, project.public_fields)
    return render(request, "projects/public.html", {"project": project, "shown": shown,
                                                    "labels": PUBLISHABLE_FIELDS})

