"""The data managers' page: what the retention clauses delete next, and what the job did last.

Read from the schedule the job publishes (``schedule.py``), never from the warehouse: counts, dates,
suppliers and clauses, no record. The hub's data managers see every supplier's holdings and the
derived datasets; a data manager of a supplier sees its own organisation's submissions only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from boroughhub.audit import audit_now
from boroughhub.organisations import HUB_OPERATOR_ID, Organisation, Role, require_role
from boroughhub.retention.schedule import Line
from boroughhub.retention.store import published_schedule

#: The page's two horizons: what goes within a month, and within a year.
SOON = timedelta(days=31)
THIS_YEAR = timedelta(days=366)


def _window(lines: list[Line], now: datetime, within: timedelta) -> dict[str, int]:
    inside = [line for line in lines if line.expires_at <= now + within]
    return {"holdings": len(inside), "rows": sum(line.rows for line in inside)}


@require_GET
@require_role(Role.DATA_MANAGER)
def due_next(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    schedule = published_schedule()
    lines = schedule.lines if schedule else []
    whole_hub = acting.org_id == HUB_OPERATOR_ID
    if not whole_hub:
        own = Organisation.objects.filter(pk=acting.org_id).values_list("supplier_code", flat=True).first()
        lines = [line for line in lines if own and line.supplier_code == own]
    names = dict(Organisation.objects.exclude(supplier_code="").values_list("supplier_code", "name"))
    now = audit_now()
    context = {
        "schedule": schedule, "lines": lines, "names": names, "whole_hub": whole_hub,
        "soon": _window(lines, now, SOON), "this_year": _window(lines, now, THIS_YEAR),
        "overdue": [line for line in lines if line.expires_at <= now],
        "unruled": schedule.unruled if schedule and whole_hub else [],
    }
    return render(request, "retention/due.html", context)
