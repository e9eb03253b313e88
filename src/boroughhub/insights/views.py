"""Insights pages and downloads. Every view passes ``decide()`` (view_aggregate, view_unrounded or
export on ``metric_values``) and is audited; figures are disclosure-controlled unless the user's
agreement grants ``view_unrounded`` and they ask for it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from boroughhub.agreements import (
    REASON_MESSAGES,
    ROUGH_SLEEPING_INSIGHT,
    guard_page,
    permits,
    record_access,
    refusal_message,
    request_decision,
)
from boroughhub.audit import record_request_event
from boroughhub.organisations import DataUse, PageAccess, Role

from .audience import area_groups, area_name, visible_areas
from .catalog import METRIC_IDS
from .charts import pathway_chart, pathway_periods
from .definitions import DEFINITIONS, MEASURE_NAMES, NAMES, VARIANT_NAMES
from .downloads import long_format, notes, to_csv, to_xlsx
from .figure_charts import figure_svg, spec_svg
from .figure_notes import low_coverage_periods, subtitle
from .pages import (
    BREAKDOWN_NAMES,
    BREAKDOWNS,
    FY,
    PAGES,
    PERIOD_TYPES,
    all_measures,
    figure_table,
    page_tables,
    summary_sentence,
)
from .params import LONDON
from .published import PublishedFigures, select
from .words import (
    PARAMETER_WORDS,
    KeyEntry,
    category_label,
    disclosure_key,
    parameters_in_words,
    pathway_step,
)

PURPOSE = ROUGH_SLEEPING_INSIGHT
FIELDS = ("metric", "variant", "period_type", "period", "area_code", "breakdown", "breakdown_value", "measure", "value")
INSIGHT_ROLES = frozenset({Role.ANALYST, Role.FRONTLINE_WORKER, Role.DATA_MANAGER})
VIEW_FIGURES = DataUse.of("view_aggregate", "metric_values", FIELDS, PURPOSE)
# Unrounded figures are shown only when asked for, and only where an agreement grants them.
VIEW_UNROUNDED = DataUse.of("view_unrounded", "metric_values", FIELDS, PURPOSE, asked_by="figures=unrounded")
EXPORT_FIGURES = DataUse.of("export", "metric_values", FIELDS, PURPOSE)
#: Who may open the insights pages and the downloads: the guards below and every link to them ask these.
INSIGHT_PAGES = PageAccess(INSIGHT_ROLES, (VIEW_FIGURES, VIEW_UNROUNDED))
INSIGHT_DOWNLOADS = PageAccess(INSIGHT_ROLES, (EXPORT_FIGURES,))


@cache
def published_figures() -> PublishedFigures:
    return PublishedFigures(settings.DATA_DIR / "insights")


def _area(request: HttpRequest, figures: PublishedFigures, requested: str) -> tuple[str, list[str]]:
    acting = request.acting  # type: ignore[attr-defined]
    areas = visible_areas(acting.organisation.type, acting.organisation.ons_code, figures.areas())
    if requested not in areas:
        record_request_event(request, "decision", "deny", action="view_aggregate", dataset="metric_values",
                             payload={"reason": "AREA_NOT_VISIBLE", "area_code": requested[:20]})
        raise PermissionDenied(f"Your organisation's users can see figures for: {', '.join(area_name(a) for a in areas)}.")
    return requested, areas


def _decide(request: HttpRequest, use: DataUse) -> Any:
    decision = request_decision(request, use.action, use.dataset, use.fields, use.purpose)
    if not decision.permitted:
        raise PermissionDenied(refusal_message(decision))
    return decision


def _unrounded(request: HttpRequest) -> bool:
    return VIEW_UNROUNDED.is_asked_by(request.GET.dict())


def figure_options(request: HttpRequest) -> list[dict[str, str]]:
    """The "Figures" choices the session's agreements allow: each one opens, none is refused."""
    options = [("published", "Disclosure-controlled", VIEW_FIGURES), ("unrounded", "Unrounded", VIEW_UNROUNDED)]
    return [{"value": value, "text": text} for value, text, use in options if permits(request, use)]


def _no_data(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/no_data.html", status=200)


@dataclass(frozen=True)
class Viewing:
    """One permitted view of an area's figures: what every insights page decides before it reads."""

    figures: PublishedFigures
    area_code: str
    areas: list[str]
    unrounded: bool
    decision: Any
    refusal: str = ""  # why unrounded figures, asked for, are not shown (the page shows published ones)

    @property
    def min_cell(self) -> int | None:
        return self.decision.obligations.min_cell_size if self.decision.obligations else None

    def key(self) -> list[KeyEntry]:
        return key_of(self.decision, self.figures, self.unrounded)

    def context(self) -> dict[str, Any]:
        return {"pages": PAGES, "area_code": self.area_code, "area_name": area_name(self.area_code),
                "areas": self.areas, "area_names": {a: area_name(a) for a in self.areas},
                "area_groups": area_groups(self.areas),
                "unrounded": self.unrounded, "coverage": self.figures.coverage(), "refusal": self.refusal,
                "key": self.key()}


FOLLOW_UP = PARAMETER_WORDS["follow_up_days"]


def key_of(decision: Any, figures: PublishedFigures, unrounded: bool) -> list[KeyEntry]:
    """The key to the markers, with the threshold that ``decision``'s agreement applied."""
    agreement = decision.agreement_id or ""
    if agreement and decision.agreement_version:
        agreement += f" v{decision.agreement_version}"
    coverage = figures.coverage()
    follow_up = dict(parameters_in_words(coverage.parameters)).get(FOLLOW_UP, "365") if coverage else "365"
    min_cell = decision.obligations.min_cell_size if decision.obligations else None
    return disclosure_key(unrounded=unrounded, min_cell_size=min_cell, agreement=agreement,
                          follow_up_days=int(follow_up))


def _viewing(request: HttpRequest, area_code: str) -> Viewing:
    """Checks the area, then decides view_aggregate (or view_unrounded when asked for and allowed).

    Unrounded figures asked for but refused (the refusal is audited by ``request_decision``) leave the user
    on the page they chose, with its filters, showing the disclosure-controlled figures and saying why."""
    figures = published_figures()
    area_code, areas = _area(request, figures, area_code)
    unrounded, refusal = _unrounded(request), ""
    if unrounded:
        asked = request_decision(request, VIEW_UNROUNDED.action, VIEW_UNROUNDED.dataset, VIEW_UNROUNDED.fields,
                                 VIEW_UNROUNDED.purpose)
        if asked.permitted:
            return Viewing(figures, area_code, areas, True, asked)
        unrounded, refusal = False, unrounded_refusal(asked.primary_reason.code)
    decision = _decide(request, VIEW_FIGURES)
    return Viewing(figures, area_code, areas, unrounded, decision, refusal)


def unrounded_refusal(reason: str) -> str:
    """A refused "Unrounded" in words: why, and what is shown instead (never the reason code)."""
    why = REASON_MESSAGES.get(reason, "No agreement allows this.")
    return (f"Unrounded figures cannot be shown to you: {why[0].lower()}{why[1:]} The figures below are "
            "disclosure-controlled, with your other choices kept. To see unrounded figures, an agreement must "
            "allow your role to see them: ask your organisation's data protection lead.")


def _figures_for(request: HttpRequest, slug: str, area_code: str) -> tuple[dict[str, Any], Any, int]:
    viewing = _viewing(request, area_code)
    figures, area_code, unrounded, min_cell = viewing.figures, viewing.area_code, viewing.unrounded, viewing.min_cell
    page = PAGES[slug]
    breakdown = request.GET.get("breakdown", "none")
    if breakdown not in BREAKDOWNS:
        breakdown = "none"
    needed = {figure.period_type for figure in page.figures}
    slices = {pt: figures.indexed(pt, area_code, unrounded=unrounded, min_cell_size=min_cell) for pt in needed}
    shown: list[dict[str, Any]] = []
    for figure, table in zip(page.figures, page_tables(page, slices, breakdown), strict=True):
        london = slices[figure.period_type] if area_code == LONDON else figures.indexed(
            figure.period_type, LONDON, unrounded=unrounded, min_cell_size=min_cell)
        shown.append({"figure": figure, "table": table, "svg": figure_svg(table, figure.title, figures.chart_cache),
                      "summary": summary_sentence(table, area_name(area_code)), "no_chart": table.nothing_to_draw(),
                      "subtitle": subtitle(table, BREAKDOWN_NAMES.get(table.breakdown, "")),
                      "low": low_coverage_periods(london, figure)})
    context = {
        **viewing.context(), "page": page, "breakdown": breakdown, "breakdowns": BREAKDOWNS,
        "breakdown_names": BREAKDOWN_NAMES, "shown": shown,
        "figure_options": figure_options(request), "can_download": permits(request, EXPORT_FIGURES),
        "query": request.GET.urlencode(),
    }
    return context, viewing.decision, sum(len(t["table"].rows) for t in shown)


@guard_page(INSIGHT_PAGES)
def london(request: HttpRequest) -> HttpResponse:
    return topic(request, "overview")


@guard_page(INSIGHT_PAGES)
def area(request: HttpRequest, area_code: str) -> HttpResponse:
    return _topic(request, "overview", area_code)


@guard_page(INSIGHT_PAGES)
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    return _topic(request, slug, request.GET.get("area", LONDON))


def _topic(request: HttpRequest, slug: str, area_code: str) -> HttpResponse:
    if slug not in PAGES:
        raise Http404
    if not published_figures().available:
        return _no_data(request)
    context, decision, count = _figures_for(request, slug, area_code)
    response = render(request, "insights/topic.html", context)
    record_access(decision, row_count=count)
    return response


@guard_page(INSIGHT_PAGES)
def every_measure(request: HttpRequest) -> HttpResponse:
    """Every metric id of metrics.md for an area and period type (latest periods), with its definition."""
    if not published_figures().available:
        return _no_data(request)
    period_type = request.GET.get("period_type", FY)
    if period_type not in PERIOD_TYPES:
        period_type = FY
    viewing = _viewing(request, request.GET.get("area", LONDON))
    index = viewing.figures.indexed(period_type, viewing.area_code, unrounded=viewing.unrounded,
                                    min_cell_size=viewing.min_cell)
    periods, rows = all_measures(index, METRIC_IDS)
    context = {**viewing.context(), "period_type": period_type, "period_types": PERIOD_TYPES,
               "periods": periods, "rows": rows, "definitions": DEFINITIONS, "names": NAMES,
               "variant_names": VARIANT_NAMES, "measure_names": MEASURE_NAMES,
               "category_label": lambda row: category_label(row.category_kind, row.category, row.metric),
               "can_download": permits(request, EXPORT_FIGURES)}
    response = render(request, "insights/all_measures.html", context)
    record_access(viewing.decision, row_count=len(rows))
    return response


@guard_page(INSIGHT_DOWNLOADS)
def download_all(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every published row of an area and period type, in the long format of metrics.md §7."""
    figures = published_figures()
    if fmt not in ("csv", "xlsx") or not figures.available:
        raise Http404
    area_code, _ = _area(request, figures, request.GET.get("area", LONDON))
    period_type = request.GET.get("period_type", FY)
    if period_type not in PERIOD_TYPES:
        raise Http404
    decision = _decide(request, EXPORT_FIGURES)
    min_cell = decision.obligations.min_cell_size if decision.obligations else None
    rows = figures.slice(period_type, area_code, unrounded=False, min_cell_size=min_cell)
    body, content_type = long_format(rows, fmt, notes(None, area_name(area_code), figures.coverage(), unrounded=False,
                                                      key=key_of(decision, figures, False)))
    record_access(decision, row_count=len(rows), export_sha256=hashlib.sha256(body).hexdigest())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="boroughhub-metric-values-{area_code}-{period_type}.{fmt}"'
    return response


@guard_page(INSIGHT_PAGES)
def pathways(request: HttpRequest) -> HttpResponse:
    if not published_figures().available:
        return _no_data(request)
    viewing = _viewing(request, request.GET.get("area", LONDON))
    shown = _pathways_shown(viewing, request.GET.get("period"))
    response = render(request, "insights/pathways.html", {**viewing.context(), **shown, "step": pathway_step})
    record_access(viewing.decision, row_count=len(shown["transitions"]))
    return response


def _pathways_shown(viewing: Viewing, requested: str | None) -> dict[str, Any]:
    """The pathways chart and its transitions for one cohort year; the same for everyone who may see them,
    so kept per snapshot (building and rendering the chart costs a few hundred milliseconds)."""
    figures, area_code = viewing.figures, viewing.area_code
    key = ("pathways", area_code, viewing.unrounded, viewing.min_cell)
    rows = figures.derived(key, lambda: select(
        figures.slice(FY, area_code, unrounded=viewing.unrounded, min_cell_size=viewing.min_cell), metric="lk_pathways"))
    periods = pathway_periods(rows)
    period = requested or (periods[-1] if periods else "")

    def build() -> dict[str, Any]:
        chart = pathway_chart(rows, period, area_code) if period else None
        # Stage by stage: the labels start with their stage numbers (0:street_first_seen>1:...).
        transitions = sorted((r for r in rows if r["period"] == period and r["breakdown"] == "transition"),
                             key=lambda r: r["breakdown_value"])
        return {"periods": periods, "period": period, "chart": chart, "transitions": transitions,
                "svg": spec_svg(chart.spec, figures.chart_cache) if chart and chart.table else ""}

    # Only the cohort years there are: a period typed into the address is not kept.
    return figures.derived((*key, period), build) if period in periods else build()


@guard_page(INSIGHT_DOWNLOADS)
def download(request: HttpRequest, slug: str, figure_id: str, fmt: str) -> HttpResponse:
    """A figure's table as CSV or XLSX: an export, so it needs the agreement's ``export`` permission."""
    if slug not in PAGES or fmt not in ("csv", "xlsx"):
        raise Http404
    figures = published_figures()
    if not figures.available:
        return _no_data(request)
    page = PAGES[slug]
    figure = next((f for f in page.figures if f.id == figure_id), None)
    if figure is None:
        raise Http404
    area_code, _ = _area(request, figures, request.GET.get("area", LONDON))
    decision = _decide(request, EXPORT_FIGURES)  # downloads are never unrounded (metrics.md 8.4)
    min_cell = decision.obligations.min_cell_size if decision.obligations else None
    breakdown = request.GET.get("breakdown", "none")
    breakdown = breakdown if breakdown in BREAKDOWNS and figure.breakdown_allowed else "none"
    index = figures.indexed(figure.period_type, area_code, unrounded=False, min_cell_size=min_cell)
    table = figure_table(figure, index, breakdown)
    if fmt == "csv":
        body, content_type = to_csv(table), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(table, notes(table, area_name(area_code), figures.coverage(), unrounded=False,
                                    key=key_of(decision, figures, False)))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record_access(decision, row_count=len(table.rows), export_sha256=hashlib.sha256(body).hexdigest())
    response = HttpResponse(body, content_type=content_type)
    filename = f"boroughhub-{figure.id}-{area_code}{'' if breakdown == 'none' else '-' + breakdown}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
