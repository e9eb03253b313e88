"""The briefing pages: summary, comparison (page, CSV, XLSX), committee summary (HTML, PDF) and data coverage.

Each reads the published snapshot under disclosure control through the same checks as every insights page:
the area must be one the organisation may see (``audience.visible_areas``), ``decide()`` must permit the
use (view_aggregate, or export for downloads and the committee paper), and the access is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from boroughhub.agreements import guard_page, permits, record_access
from boroughhub.insights.audience import area_name, visible_areas
from boroughhub.insights.briefing import comparison as compare
from boroughhub.insights.briefing.committee import render_pdf, render_print_html
from boroughhub.insights.briefing.headline import (
    HEADLINE_KEYS,
    HEADLINES,
    Headline,
    headline_figures,
    latest_years,
    summary_sentence,
)
from boroughhub.insights.briefing.population import population_source
from boroughhub.insights.briefing.supply import SOURCE_NAMES, measure_coverage, read_supply, supplier_data
from boroughhub.insights.briefing.tile_map import tile_map_label, tile_map_spec
from boroughhub.insights.figure_charts import figure_svg, spec_svg
from boroughhub.insights.pages import ANNUAL_COHORTS, FY, MONTH, TOTAL_SEEN, figure_table, to_number
from boroughhub.insights.params import LONDON
from boroughhub.insights.published import PublishedFigures
from boroughhub.insights.views import (
    EXPORT_FIGURES,
    INSIGHT_DOWNLOADS,
    INSIGHT_PAGES,
    Viewing,
    _area,
    _decide,
    _no_data,
    _viewing,
    published_figures,
)


def _default_area(request: HttpRequest, areas: list[str]) -> str:
    """A borough's users start on their own borough; everyone else on London."""
    own = request.acting.organisation.ons_code  # type: ignore[attr-defined]
    return own if own and own in areas else LONDON


def _requested_area(request: HttpRequest) -> str:
    acting = request.acting  # type: ignore[attr-defined]
    areas = visible_areas(acting.organisation.type, acting.organisation.ons_code, published_figures().areas())
    return request.GET.get("area") or _default_area(request, areas)


def _indexes(viewing: Viewing, area_code: str) -> tuple[Any, Any]:
    figures, unrounded, min_cell = viewing.figures, viewing.unrounded, viewing.min_cell
    return (figures.indexed(FY, area_code, unrounded=unrounded, min_cell_size=min_cell),
            figures.indexed(MONTH, area_code, unrounded=unrounded, min_cell_size=min_cell))


def _threshold_note(viewing: Viewing) -> str:
    if viewing.unrounded:
        return "These figures are not disclosure-controlled: inside the hub only, never for publication."
    return (f"Counts of 1 to {compare.suppression_threshold(viewing.min_cell)} are shown as [c]; other counts are "
            "rounded to the nearest 5 (10 for London).")


def _summary_context(viewing: Viewing) -> dict[str, Any]:
    """The area's and London's headline figures for the latest year, side by side."""
    london_years, london_months = _indexes(viewing, LONDON)
    year, previous = latest_years(london_years)
    if year is None:
        return {"year": None, "previous": None, "rows": []}
    area_years, area_months = _indexes(viewing, viewing.area_code)
    area_figures = headline_figures(year, previous, area_years, area_months)
    london_figures = headline_figures(year, previous, london_years, london_months)
    london_total = london_figures[0] if viewing.area_code != LONDON else area_figures[0]
    return {"year": year, "previous": previous, "rows": list(zip(area_figures, london_figures, strict=True)),
            "threshold_note": _threshold_note(viewing),
            "sentence": summary_sentence(area_name(viewing.area_code), year, previous, area_figures[0], london_total)}


@guard_page(INSIGHT_PAGES)
def summary(request: HttpRequest) -> HttpResponse:
    if not published_figures().available:
        return _no_data(request)
    viewing = _viewing(request, _requested_area(request))
    context = {**viewing.context(), **_summary_context(viewing), "current": "summary",
               "can_download": permits(request, EXPORT_FIGURES)}
    response = render(request, "insights/summary.html", context)
    record_access(viewing.decision, row_count=2 * len(HEADLINES))
    return response


def _headline(request: HttpRequest) -> Headline:
    return HEADLINE_KEYS.get(request.GET.get("measure", ""), HEADLINES[0])


def _compared_areas(request: HttpRequest, figures: PublishedFigures) -> list[str]:
    """The areas the session may see, including those without a published row (all 33 authorities and
    Heathrow for the GLA and the hub), so a missing area reads "[x]" instead of vanishing from the table."""
    acting = request.acting  # type: ignore[attr-defined]
    return visible_areas(acting.organisation.type, acting.organisation.ons_code,
                         set(figures.areas()) | set(compare.COMPARED_AREAS))


def _comparison(viewing: Viewing, headline: Headline, areas: list[str]) -> tuple[str | None, list[compare.ComparisonRow]]:
    london_years, _ = _indexes(viewing, LONDON)
    year, previous = latest_years(london_years)
    if year is None:
        return None, []
    figures, unrounded, min_cell = viewing.figures, viewing.unrounded, viewing.min_cell
    years = {a: figures.indexed(FY, a, unrounded=unrounded, min_cell_size=min_cell) for a in areas}
    # Only the long-term measure reads months (B1 in March); other measures skip the larger month slices.
    months = {a: figures.indexed(MONTH, a, unrounded=unrounded, min_cell_size=min_cell) if headline.monthly else {}
              for a in areas}
    rows = compare.comparison_rows(headline, year, previous, areas, {a: area_name(a) for a in areas}, years, months)
    return year, rows


@guard_page(INSIGHT_PAGES)
def comparison(request: HttpRequest) -> HttpResponse:
    if not published_figures().available:
        return _no_data(request)
    # Every visible area is compared; the chosen area is kept only for the links to the other pages.
    viewing = _viewing(request, _requested_area(request))
    headline = _headline(request)
    year, rows = _comparison(viewing, headline, _compared_areas(request, viewing.figures))
    sort = request.GET.get("sort", "area")
    sort = sort if sort in compare.SORTS else "area"
    descending = request.GET.get("order") == "descending"
    ordered = compare.sorted_rows(rows, sort, descending)
    values = {r.area_code: (r.rate if headline.is_count else to_number(r.value)) for r in rows}
    measure_name = f"{headline.label} per 10,000 residents" if headline.is_count else headline.label
    svg = ""
    if year and any(v is not None for code, v in values.items() if code != LONDON):
        spec = tile_map_spec(values, {r.area_code: r.area_name for r in rows}, measure_name, frozenset(values))
        svg = spec_svg(spec, viewing.figures.chart_cache).replace(
            "<svg ", f'<svg role="img" aria-label="{tile_map_label(measure_name, year)}" ', 1)
    context = {**viewing.context(), "current": "comparison", "headline": headline, "headlines": HEADLINES,
               "year": year, "rows": [(r, r.shown(headline)) for r in ordered], "sort": sort,
               "descending": descending, "sorts": compare.SORTS, "map_svg": svg, "map_measure": measure_name,
               "population_source": population_source(), "threshold_note": _threshold_note(viewing),
               "can_download": permits(request, EXPORT_FIGURES)}
    response = render(request, "insights/comparison.html", context)
    record_access(viewing.decision, row_count=len(rows))
    return response


@guard_page(INSIGHT_DOWNLOADS)
def comparison_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The comparison table as CSV or XLSX: an export, never unrounded (metrics.md 8.4)."""
    figures = published_figures()
    if fmt not in ("csv", "xlsx") or not figures.available:
        raise Http404
    _, areas = _area(request, figures, LONDON)
    decision = _decide(request, EXPORT_FIGURES)
    viewing = Viewing(figures, LONDON, areas, False, decision)
    headline = _headline(request)
    year, rows = _comparison(viewing, headline, _compared_areas(request, figures))
    lines = compare.table_lines(headline, year or "", rows)
    if fmt == "csv":
        body, content_type = compare.to_csv(lines), "text/csv; charset=utf-8"
    else:
        body = compare.to_xlsx(lines, compare.download_notes(headline, year or "", viewing.min_cell))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record_access(decision, row_count=len(rows), export_sha256=hashlib.sha256(body).hexdigest())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="boroughhub-comparison-{headline.key}-{(year or "").replace("/", "-")}.{fmt}"'
    return response


def _committee_context(figures: PublishedFigures, viewing: Viewing) -> dict[str, Any]:
    """Everything the committee paper shows; one dictionary for the page and the PDF."""
    years_index, _ = _indexes(viewing, viewing.area_code)
    london_years, _ = _indexes(viewing, LONDON)
    charts = []
    # The area's cohorts on page one, London's trend on page two: what fits two A4 pages with their tables.
    for figure, index, where in ((ANNUAL_COHORTS, years_index, viewing.area_code), (TOTAL_SEEN, london_years, LONDON)):
        table = figure_table(figure, index)
        title = f"{figure.title}, {area_name(where)}"
        charts.append({"title": title, "table": table, "svg": figure_svg(table, title, figures.chart_cache)})
    coverage = figures.coverage()
    decision = viewing.decision
    agreement = f"agreement {decision.agreement_id} version {decision.agreement_version}" \
        if decision.agreement_id else "the data sharing agreement that allowed this export"
    return {"agreement": agreement, **_summary_context(viewing), "area_name": area_name(viewing.area_code), "area_code": viewing.area_code,
            "charts": charts, "headlines": HEADLINES, "coverage": coverage,
            "sources": ", ".join(SOURCE_NAMES.values())}


def _paper_rows(paper: dict[str, Any]) -> int:
    """Figures the paper carries: its headline cells for the area and London, and its charts' table rows."""
    return 2 * len(paper["rows"]) + sum(len(chart["table"].rows) for chart in paper["charts"])


def _committee_viewing(request: HttpRequest) -> Viewing:
    """The committee paper leaves the hub, so it is decided and audited as an export, never unrounded."""
    figures = published_figures()
    area_code, areas = _area(request, figures, _requested_area(request))
    decision = _decide(request, EXPORT_FIGURES)
    return Viewing(figures, area_code, areas, False, decision)


@guard_page(INSIGHT_DOWNLOADS)
def committee(request: HttpRequest) -> HttpResponse:
    if not published_figures().available:
        return _no_data(request)
    viewing = _committee_viewing(request)
    paper = _committee_context(viewing.figures, viewing)
    context = {**viewing.context(), **paper, "current": "committee", "unrounded": False}
    response = render(request, "insights/committee.html", context)
    record_access(viewing.decision, row_count=_paper_rows(paper),
                  export_sha256=hashlib.sha256(response.content).hexdigest())
    return response


@guard_page(INSIGHT_DOWNLOADS)
def committee_pdf(request: HttpRequest) -> HttpResponse:
    if not published_figures().available:
        raise Http404
    viewing = _committee_viewing(request)
    paper = _committee_context(viewing.figures, viewing)
    pdf, _pages = render_pdf(render_print_html(paper))
    record_access(viewing.decision, row_count=_paper_rows(paper), export_sha256=hashlib.sha256(pdf).hexdigest())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="boroughhub-committee-summary-{viewing.area_code}.pdf"'
    return response


@guard_page(INSIGHT_PAGES)
def coverage(request: HttpRequest) -> HttpResponse:
    figures = published_figures()
    if not figures.available:
        return _no_data(request)
    viewing = _viewing(request, _requested_area(request))
    run = figures.coverage()
    as_at = dt.date.fromisoformat(run.as_at) if run else None
    supplied = figures.derived(("supply",), lambda: read_supply(figures.directory))
    by_source = supplier_data(supplied, as_at) if as_at and supplied is not None else {}
    context = {**viewing.context(), "current": "coverage", "as_at": as_at, "by_source": by_source,
               "recorded": supplied is not None,
               "source_names": SOURCE_NAMES, "measures": measure_coverage(by_source) if by_source else []}
    response = render(request, "insights/coverage.html", context)
    record_access(viewing.decision, row_count=sum(len(v) for v in by_source.values()))
    return response
