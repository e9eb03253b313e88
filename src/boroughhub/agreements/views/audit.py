"""Privacy officers' audit pages (spec §4.5) and the resident access list (§4.6).

An officer sees entries where their organisation acted, supplied the data under the cited agreement,
or is a party to the agreement a governance entry cites (``store.scope``). Every read, page by page,
and every download is itself an ``audit_read`` entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from boroughhub.agreements.store.audit_names import agreement_choices, dataset_choices, lookups_for
from boroughhub.agreements.store.audit_scope import OfficerScope, filtered_entries, scope_of
from boroughhub.audit import (
    CSV_HEADER,
    AuditEntry,
    AuditSubjectRefs,
    RecordKnown,
    action_name,
    csv_row,
    line_of,
    record_known,
    record_request_event,
)
from boroughhub.organisations import Role, require_role

from .audit_forms import AuditFilterForm, SubjectAccessForm, error_list

PAGE_SIZE = 50


def _filter_form(request: HttpRequest, scope: OfficerScope) -> AuditFilterForm:
    asked = request.GET.copy()
    asked.pop("page", None)
    return AuditFilterForm(asked or None, datasets=dataset_choices(), agreements=agreement_choices(scope))


def _query(request: HttpRequest, **changes: Any) -> str:
    """The current query string with ``changes`` (for page links and the download link)."""
    query = QueryDict(mutable=True)
    query.update(request.GET)
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    return query.urlencode()


def _pagination(request: HttpRequest, shown: Page) -> dict[str, Any] | None:
    """Parameters of the GOV.UK pagination component: first, last and neighbours, gaps as ellipses."""
    paginator = shown.paginator
    if paginator.num_pages <= 1:
        return None
    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(shown.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": "?" + _query(request, page=number),
                          "current": number == shown.number})
    params: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of audit entries"}
    if shown.has_previous():
        params["previous"] = {"href": "?" + _query(request, page=shown.previous_page_number())}
    if shown.has_next():
        params["next"] = {"href": "?" + _query(request, page=shown.next_page_number())}
    return params


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def audit_entries(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    scope = scope_of(acting.org_id)
    form = _filter_form(request, scope)
    if form.is_bound and not form.is_valid():
        # Nothing is read: the page shows the form with what to correct, and no entries.
        return render(request, "audit/entries.html", {"form": form, "form_errors": error_list(form), "filtered": True},
                      status=400)
    filters = form.filters()
    shown = Paginator(filtered_entries(scope, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(shown.object_list)
    lookups = lookups_for(entries, scope)
    lines = [line_of(entry, lookups, scope.shows_person(entry)) for entry in entries]
    record_request_event(request, "audit_read", "ok", payload={
        "report": "entries", "filters": filters.as_record(), "page": shown.number, "entries_shown": len(lines)})
    return render(request, "audit/entries.html", {
        "form": form, "form_errors": [], "lines": lines, "shown": shown, "total": shown.paginator.count,
        "pagination": _pagination(request, shown), "download_query": _query(request, page=None),
        "filtered": bool(filters.as_record()),
    })


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def audit_entries_csv(request: HttpRequest) -> HttpResponse:
    """Every entry of the filtered view as CSV; the download is an ``audit_read`` entry with its hash."""
    acting = request.acting  # type: ignore[attr-defined]
    scope = scope_of(acting.org_id)
    form = _filter_form(request, scope)
    if form.is_bound and not form.is_valid():
        return audit_entries(request)  # the page, with the errors, and nothing downloaded
    filters = form.filters()
    entries = list(filtered_entries(scope, filters))
    lookups = lookups_for(entries, scope)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow(csv_row(line_of(entry, lookups, scope.shows_person(entry))))
    body = out.getvalue().encode("utf-8")
    record_request_event(request, "audit_read", "ok", export_sha256=hashlib.sha256(body).hexdigest(), payload={
        "report": "entries_csv", "filters": filters.as_record(), "entries_exported": len(entries)})
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"audit-log-{acting.org_id}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def exempted_seqs(today: date) -> set[int]:
    """Entries with an active subject-access exemption (the flag is its own audited entry)."""
    active: dict[int, bool] = {}
    for flag in AuditEntry.objects.filter(event_type="exemption_flag").order_by("seq"):
        data = flag.payload or {}
        target = data.get("target_seq")
        review = data.get("review_date")
        cleared = data.get("change") == "cleared"
        if target is not None:
            active[int(target)] = not cleared and bool(review) and str(review) >= today.isoformat()
    return {seq for seq, on in active.items() if on}


def accesses_to(dataset: str, suppliers: set[str], record_key: str) -> list[AuditEntry]:
    """Access entries naming this record (inline or in the side table); ``suppliers`` holds the org id
    and its supplier code, since references may carry either."""

    def matches(refs: Any) -> bool:
        return any(isinstance(r, dict) and r.get("dataset") == dataset and r.get("record_key") == record_key
                   and r.get("supplier") in suppliers for r in refs or [])

    found = [e for e in AuditEntry.objects.filter(event_type="access", subject_refs__isnull=False)
             if matches(e.subject_refs)]
    side = AuditSubjectRefs.objects.all()
    side_seqs = {row.seq for row in side if matches(row.refs)}
    found += list(AuditEntry.objects.filter(seq__in=side_seqs))
    return sorted(found, key=lambda e: -e.seq)


@never_cache
@require_role(Role.PRIVACY_OFFICER)
def subject_access(request: HttpRequest) -> HttpResponse:
    """The accesses to one resident's records supplied by the officer's own organisation."""
    acting = request.acting  # type: ignore[attr-defined]
    form = SubjectAccessForm(request.GET or None)
    rows: list[dict[str, Any]] = []
    withheld = 0
    known: RecordKnown | None = None
    if request.GET and form.is_valid():
        dataset, record_key = form.cleaned_data["dataset"], form.cleaned_data["record_key"].strip()
        suppliers = {acting.org_id, acting.organisation.supplier_code} - {""}
        entries = accesses_to(dataset, suppliers, record_key)
        known = record_known(settings.WAREHOUSE_PATH, dataset, {acting.organisation.supplier_code} - {""},
                             record_key)
        exempt = exempted_seqs(timezone.localdate())
        scope = scope_of(acting.org_id)
        lookups = lookups_for([], scope)
        for entry in entries:
            if entry.seq in exempt:
                withheld += 1
                continue
            line = line_of(entry, lookups, shows_person=False)  # staff names withheld by default (§4.6 5)
            rows.append({"when": entry.occurred_at, "organisation": line.organisation, "role": line.role,
                         "what": action_name(entry.action), "dataset": lookups.datasets.get(dataset, dataset),
                         "purpose": lookups.purposes.get(entry.purpose or "", entry.purpose or ""),
                         "agreement": line.agreement})
        record_request_event(request, "audit_read", "ok", payload={
            "report": "resident_access_list", "dataset": dataset, "results": len(rows), "withheld": withheld,
            "record_known": known.value})
    return render(request, "audit/resident.html", {
        "form": form, "form_errors": error_list(form) if request.GET else [], "rows": rows, "withheld": withheld,
        "known": known.value if known is not None else None, "searched": known is not None,
        "searched_key": form.cleaned_data.get("record_key", "") if known is not None else "",
    }, status=400 if request.GET and form.errors else 200)

