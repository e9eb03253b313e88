"""Clerical review of uncertain pairs: side by side, identifiers visible only here, every view decided
and audited, decisions stored in the warehouse and respected by every later clustering."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import duckdb
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.agreements.access import guard_page, refusal_message
from boroughhub.agreements.enforce import record_access, request_decision
from boroughhub.organisations.page_access import DataUse, PageAccess
from boroughhub.organisations.roles import Role
from boroughhub.warehouse import WarehouseHeld, Work
from boroughhub.warehouse.warehouse import Warehouse

from .review import open_review_pairs, record_decision
from .review_pages import FIELD_LABELS, SHOWN_FIELDS, displayed_fields, review_pairs, shown_record
from .tasks import PURPOSE

QUEUE_FIELDS = ("source", "match_probability")
PAIR_FIELDS = ("person_id", "source", "supplier_code", "record_key", "match_probability")
REVIEWERS = frozenset({Role.ANALYST, Role.DATA_MANAGER})
VIEW_REVIEW_QUEUE = DataUse.of("view_record", "person_link", QUEUE_FIELDS, PURPOSE)
#: Who may open the review pages: the guards below and every link to them ask this. Each pair also
#: needs ``link`` on both records' sources, decided when the pair is opened.
REVIEW_PAGES = PageAccess(REVIEWERS, (VIEW_REVIEW_QUEUE,))


class WarehouseBusy(Exception):
    pass


@contextmanager
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, or ``WarehouseBusy`` while a load or a linkage run in another process holds it
    (DuckDB lets one process open a database file for writing). A page does not queue behind them: it
    says the hub is updating its data, at once."""
    try:
        with Warehouse(settings.WAREHOUSE_PATH, work=Work("clerical review"), wait_seconds=0) as store:
            yield store.connection
    except (WarehouseHeld, duckdb.IOException, duckdb.CatalogException) as error:
        raise WarehouseBusy(str(error)) from error


def _decide(request: HttpRequest, action: str, dataset: str, fields: Any, subject_refs: list | None = None) -> Any:
    decision = request_decision(request, action, dataset, fields, PURPOSE, subject_refs=subject_refs)
    if not decision.permitted:
        raise PermissionDenied(refusal_message(decision))
    return decision


def _busy(request: HttpRequest) -> HttpResponse:
    return render(request, "linkage/busy.html", status=503)


@guard_page(REVIEW_PAGES)
def review(request: HttpRequest) -> HttpResponse:
    use = VIEW_REVIEW_QUEUE
    decision = _decide(request, use.action, use.dataset, use.fields)
    try:
        with warehouse() as con:
            pairs = review_pairs(open_review_pairs(con), settings.SECRET_KEY)
    except WarehouseBusy:
        return _busy(request)
    record_access(decision, row_count=len(pairs))
    shown = [{"token": p.token, "probability": p.probability, "sources": (p.left.split(":")[0], p.right.split(":")[0])}
             for p in pairs[:200]]
    return render(request, "linkage/review.html", {"pairs": shown, "total": len(pairs)})


@guard_page(REVIEW_PAGES)
@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, token: str) -> HttpResponse:
    try:
        with warehouse() as con:
            pair = next((p for p in review_pairs(open_review_pairs(con), settings.SECRET_KEY) if p.token == token), None)
            if pair is None:
                raise Http404("This pair is no longer waiting for review.")
            records = [shown_record(con, pair.left), shown_record(con, pair.right)]
            if None in records:
                raise Http404("One of the records is no longer in the warehouse.")
            refs = [{"dataset": r.source, "supplier": r.supplier_code, "record_key": r.record_key,
                     "person_id": r.person_id} for r in records if r]
            # Identifiers are shown only to someone allowed to link each source and to view the clusters.
            decisions = [_decide(request, "view_record", "person_link", PAIR_FIELDS, refs)]
            decisions += [_decide(request, "link", r.source, displayed_fields(r.source), refs) for r in records if r]
            errors: list[dict[str, str]] = []
            if request.method == "POST":
                choice = request.POST.get("decision", "")
                if choice in ("same", "not_same"):
                    note = request.POST.get("note", "").strip()[:500] or None
                    record_decision(con, pair.left, pair.right, choice, str(request.user.pk),  # type: ignore[arg-type]
                                    datetime.now(UTC).replace(tzinfo=None), note)
                    for decision in decisions:
                        record_access(decision, row_count=2, subject_refs=refs)
                    return redirect("linkage:review")
                errors = [{"text": "Select whether these records are the same person", "href": "#decision"}]
    except WarehouseBusy:
        return _busy(request)
    for decision in decisions:
        record_access(decision, row_count=2, subject_refs=refs)
    rows = [{"label": FIELD_LABELS[f], "values": [r.values.get(f, "") for r in records if r]} for f in SHOWN_FIELDS]
    context = {"pair": pair, "records": records, "rows": rows, "form_errors": errors}
    return render(request, "linkage/pair.html", context)
