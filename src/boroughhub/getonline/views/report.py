"""The monthly report for the service team: a month's figures by borough against its targets, the year
to that month as a chart beside its table, each hub's figures, and the downloads (CSV, XLSX, the
funder export). Counts only; every download is audited."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from boroughhub.audit import record_request_event
from boroughhub.getonline import store
from boroughhub.getonline.charts import month_label, months_chart_svg
from boroughhub.getonline.exports import funder_table, report_tables, to_csv, to_xlsx
from boroughhub.getonline.figures import (
    MEASURES,
    borough_target,
    by_borough,
    by_hub,
    by_month,
    long_date,
    month_bounds,
)
from boroughhub.organisations import Role, require_role


def _month(request: HttpRequest) -> tuple[date, date, date]:
    """The chosen month's first and last day, and the first day of the twelve months ending with it."""
    today = store.london_now().date()
    match = re.fullmatch(r"(\d{4})-(\d{2})", request.GET.get("month", ""))
    year, month = (int(match.group(1)), int(match.group(2))) if match and 1 <= int(match.group(2)) <= 12 \
        and 2000 <= int(match.group(1)) <= 2100 else (today.year, today.month)
    start, end = month_bounds(year, month)
    year_start = date(year - 1 + (month // 12), month % 12 + 1, 1)
    return start, end, year_start


@require_GET
@require_role(Role.INCLUSION_TEAM)
def report(request: HttpRequest) -> HttpResponse:
    start, end, year_start = _month(request)
    records = store.given_between(year_start, end)
    figures = by_borough(records, start, end)
    days = (end - start).days + 1
    months = by_month(records, year_start, end)
    previous = month_bounds(start.year - (start.month == 1), 12 if start.month == 1 else start.month - 1)[0]
    first = store.first_help_on()
    following = month_bounds(end.year + (end.month == 12), 1 if end.month == 12 else end.month + 1)[0]
    context: dict[str, Any] = {
        "start": start, "end": end, "month_name": f"{start:%B %Y}", "month": f"{start:%Y-%m}",
        # Only months that can hold figures: none after this one, none before the first help recorded.
        "previous": f"{previous:%Y-%m}" if first is not None and previous >= first.replace(day=1) else "",
        "following": f"{following:%Y-%m}" if following <= store.london_now().date() else "",
        "measures": MEASURES, "figures": figures, "targets": {m: borough_target(m, days) for m in MEASURES},
        "months": [{**row, "label": month_label(row["month"])} for row in months], "chart": months_chart_svg(months), "hubs": by_hub(records, start, end)[:20],
        "year_from": long_date(year_start), "year_to": long_date(end),
    }
    return render(request, "getonline/report.html", context)


@require_GET
@require_role(Role.INCLUSION_TEAM)
def download(request: HttpRequest, download_name: str) -> HttpResponse:
    name = download_name
    start, end, year_start = _month(request)
    if name not in ("report.csv", "report.xlsx", "funder.csv", "funder.xlsx"):
        raise Http404("No such download")
    if name.startswith("funder"):
        records = store.given_between(year_start, end)
        tables = [funder_table(records, year_start, end)]
        first = year_start
    else:
        records = store.given_between(start, end)
        tables = report_tables(records, start, end)
        first = start
    stem = f"get-online-{name.split('.')[0]}-{first:%Y-%m}-to-{end:%Y-%m}"
    if name.endswith(".csv"):
        body: bytes = to_csv(tables[0]).encode("utf-8")
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        filename = f"{stem}.csv"
    else:
        body = to_xlsx(tables, first, end)
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        filename = f"{stem}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_request_event(request, "access", "ok", action="go_report_download",
                         payload={"download": name, "from": first.isoformat(), "to": end.isoformat()})
    return response
