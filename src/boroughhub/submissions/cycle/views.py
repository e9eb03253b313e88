"""The monthly cycle's pages: the submission calendar (every supplier × period), its entries, and the
supplier data-quality pages.

For data managers. The hub's data managers see and keep every supplier's calendar (they run the
cycle); a data manager of any other organisation would see its own rows only, and change nothing.
Nothing here reads person-level data: states come from submission records, quality from the counts
taken at load (``quality.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from boroughhub.agreements import offered_url
from boroughhub.audit import record_request_event
from boroughhub.organisations import Organisation, Role, error_list, require_role
from boroughhub.submissions.models import CalendarEntry
from boroughhub.submissions.statuses import SOURCE_LABELS
from boroughhub.submissions.who_sees import sees_every_submission

from . import store
from .calendar import State
from .forms import CalendarEntryForm, NewCalendarEntryForm

ONLY_HUB_CHANGES = "Only the hub's data managers change the submission calendar."
ORDERS = {"supplier": "Supplier name", "overdue": "Most overdue first"}


def _entries(request: HttpRequest) -> Any:
    if sees_every_submission(request):
        return store.calendar_entries()
    return store.calendar_entries(request.acting.org_id)  # type: ignore[attr-defined]


def _entry_or_404(request: HttpRequest, entry_id: int) -> CalendarEntry:
    entry = _entries(request).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such calendar entry")
    return entry  # type: ignore[no-any-return]


@require_GET
@require_role(Role.DATA_MANAGER)
def calendar(request: HttpRequest) -> HttpResponse:
    today = store.london_today()
    columns = store.month_columns(today)
    rows = store.calendar_rows(_entries(request), today, columns)
    order = request.GET.get("order", "supplier")
    if order not in ORDERS:
        order = "supplier"
    if order == "overdue":
        rows.sort(key=lambda row: (-(row.last_due.days_late if row.last_due and row.last_due.overdue else -1),
                                   row.schedule.supplier_name))
    # The summary is of the period whose due date passed last: the one that can be late or missing.
    counts = {state: sum(1 for row in rows if row.last_due and row.last_due.state is state) for state in State}
    context = {
        "today": today, "columns": columns, "groups": store.grouped(rows, lambda row: row.schedule.supplier_type),
        "counts": counts, "states": list(State), "order": order, "orders": ORDERS,
        "can_change": sees_every_submission(request), "quality_url": offered_url(request, "submissions:quality"),
    }
    return render(request, "submissions/calendar.html", context)


def _hub_only(request: HttpRequest) -> None:
    if not sees_every_submission(request):
        raise PermissionDenied(ONLY_HUB_CHANGES)


def _changes(entry: CalendarEntry, data: dict[str, Any]) -> dict[str, Any]:
    return {name: str(value) for name, value in data.items() if str(getattr(entry, name, "")) != str(value)}


@require_http_methods(["GET", "POST"])
@require_role(Role.DATA_MANAGER)
def change_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    _hub_only(request)
    entry = _entry_or_404(request, entry_id)
    initial = {"source": entry.source, "frequency": entry.frequency, "due_day": entry.due_day,
               "first_month": f"{entry.first_period_start:%Y-%m}"}
    form = CalendarEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {"source": form.cleaned_data["source"], "frequency": form.cleaned_data["frequency"],
                "due_day": form.cleaned_data["due_day"], "first_period_start": form.cleaned_data["first_month"]}
        clash = CalendarEntry.objects.filter(organisation=entry.organisation, source=data["source"]).exclude(pk=entry.pk)
        if clash.exists():
            form.add_error("source", f"{entry.organisation.name} already has a calendar entry for "
                                     f"{SOURCE_LABELS[data['source']]}: change that one instead")
        else:
            changes = _changes(entry, data)
            for name, value in data.items():
                setattr(entry, name, value)
            entry.updated_at, entry.updated_by = timezone.now(), request.acting.user  # type: ignore[attr-defined]
            entry.save()
            record_request_event(request, "registry", "ok", payload={
                "transition": "calendar_entry_changed", "organisation": entry.organisation_id, "changes": changes})
            return redirect("submissions:calendar")
    errors = error_list(form) if form.is_bound else []
    context = {"entry": entry, "form": form, "form_errors": errors}
    return render(request, "submissions/calendar_entry.html", context, status=400 if errors else 200)


def _suppliers_without(source_taken: set[tuple[str, str]]) -> list[tuple[str, str]]:
    suppliers = Organisation.objects.filter(status="active").exclude(supplier_code="").order_by("type", "name")
    return [(o.pk, o.name) for o in suppliers if any((o.pk, s) not in source_taken for s in SOURCE_LABELS)]


@require_http_methods(["GET", "POST"])
@require_role(Role.DATA_MANAGER)
def add_entry(request: HttpRequest) -> HttpResponse:
    _hub_only(request)
    taken = set(CalendarEntry.objects.values_list("organisation_id", "source"))
    suppliers = _suppliers_without(taken)
    form = NewCalendarEntryForm(request.POST or None, suppliers=suppliers,
                                initial={"frequency": "monthly", "due_day": 10})
    if request.method == "POST" and form.is_valid():
        organisation_id, source = form.cleaned_data["organisation"], form.cleaned_data["source"]
        if (organisation_id, source) in taken:
            name = dict(suppliers).get(organisation_id, organisation_id)
            form.add_error("source", f"{name} already has a calendar entry for {SOURCE_LABELS[source]}: "
                                     "change that one on the calendar page")
        else:
            CalendarEntry.objects.create(
                organisation_id=organisation_id, source=source, frequency=form.cleaned_data["frequency"],
                due_day=form.cleaned_data["due_day"], first_period_start=form.cleaned_data["first_month"],
                updated_by=request.acting.user)  # type: ignore[attr-defined]
            record_request_event(request, "registry", "ok", payload={
                "transition": "calendar_entry_added", "organisation": organisation_id, "source": source})
            return redirect("submissions:calendar")
    errors = error_list(form) if form.is_bound else []
    by_id = {o.pk: o for o in Organisation.objects.filter(pk__in=[pk for pk, _ in suppliers])}
    groups = store.grouped(
        [{"value": pk, "text": name, "selected": form["organisation"].value() == pk} for pk, name in suppliers],
        lambda item: by_id[item["value"]].type)
    context = {"form": form, "form_errors": errors, "supplier_groups": groups}
    return render(request, "submissions/calendar_add.html", context, status=400 if errors else 200)


@require_GET
@require_role(Role.DATA_MANAGER)
def quality(request: HttpRequest) -> HttpResponse:
    today = store.london_today()
    rows = []
    for entry in _entries(request):
        recent = store.quality_rows(entry, today, count=2)
        latest = next((row for row in recent if row.submission is not None), None)
        rows.append({"entry": entry, "latest": latest, "current": recent[0] if recent else None})
    context = {"today": today, "groups": store.grouped(rows, lambda row: row["entry"].organisation.type),
               "calendar_url": offered_url(request, "submissions:calendar")}
    return render(request, "submissions/quality.html", context)


@require_GET
@require_role(Role.DATA_MANAGER)
def supplier_quality(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    today: date = store.london_today()
    rows = store.quality_rows(entry, today)
    rules = sorted({rule for row in rows if row.quality for rule in row.quality.warnings})
    context = {"entry": entry, "rows": rows, "rules": rules, "source_label": SOURCE_LABELS.get(entry.source, "")}
    return render(request, "submissions/supplier_quality.html", context)
