"""Clerical review of uncertain pairs: side by side, identifiers visible only here, every view decided
and audited, decisions stored in the warehouse and respected by every later clustering."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import duckdb
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from boroughhub.agreements import (
    guard_page,
    permits,
    record_access,
    refusal_message,
    request_decision,
)
from boroughhub.audit import record_request_event
from boroughhub.organisations import DataUse, PageAccess, Role
from boroughhub.warehouse import Warehouse, WarehouseHeld, Work

from .label_sample import NothingToSample, SamplePair, draw_sample, latest_run_id, load_sample
from .link_tables import load_model
from .quality_page import quality_context
from .review import record_decision, stored_pair_scores
from .review_pages import (
    FIELD_LABELS,
    SHOWN_FIELDS,
    SOURCE_LABELS,
    differing_fields,
    displayed_fields,
    explanation_context,
    pair_token,
    shown_record,
)
from .review_queue import BANDS, QueueFilter, filter_options, ordered_pairs, queue_page
from .tasks import PURPOSE

# The queue and the quality page show pairs and persons by source, supplier and probability, never a
# record's values: one check guards both, so the queue offers the quality page only when it is allowed.
QUEUE_FIELDS = ("source", "supplier_code", "person_id", "match_probability")
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


def _chosen_filter(request: HttpRequest) -> QueueFilter:
    """The filter in the query string; a value no filter option could send is ignored."""
    source = request.GET.get("source", "")
    supplier = request.GET.get("supplier", "")
    band = request.GET.get("band", "")
    return QueueFilter(
        source=source if source in SOURCE_LABELS else None,
        supplier=supplier if re.fullmatch(r"[A-Za-z0-9_.-]{1,60}", supplier) else None,
        band=band if band in {b.code for b in BANDS} else None,
    )


def _query(chosen: QueueFilter, **extra: Any) -> str:
    values = {"source": chosen.source, "supplier": chosen.supplier, "band": chosen.band, **extra}
    encoded = urlencode({k: v for k, v in values.items() if v})
    return f"?{encoded}" if encoded else ""


def _pair_url(pair: Any, chosen: QueueFilter) -> str:
    token = pair_token(settings.SECRET_KEY, pair.unique_id_l, pair.unique_id_r)
    return str(reverse("linkage:review_pair", args=[token])) + _query(chosen)


def _opens_pair(request: HttpRequest) -> Callable[[Any], bool]:
    """Whether the session may open a pair's page: it decides ``view_record`` on the clusters and ``link``
    on both records' sources (asked once per source, not audited: nothing is read to answer). The queue
    offers, and next/skip lead to, only such pairs, so no link ends in a refusal."""
    if not permits(request, DataUse.of("view_record", "person_link", PAIR_FIELDS, PURPOSE)):
        return lambda pair: False
    linkable = {source: permits(request, DataUse.of("link", source, displayed_fields(source), PURPOSE))
                for source in SOURCE_LABELS}
    return lambda pair: all(linkable.get(source, False) for source in pair.sources)


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() else 1


@guard_page(REVIEW_PAGES)
def review(request: HttpRequest) -> HttpResponse:
    use = VIEW_REVIEW_QUEUE
    decision = _decide(request, use.action, use.dataset, use.fields)
    chosen = _chosen_filter(request)
    try:
        with warehouse() as con:
            page = queue_page(con, chosen, _page_number(request))
            sources, suppliers = filter_options(con)
    except WarehouseBusy:
        return _busy(request)
    record_access(decision, row_count=len(page.pairs))
    opens = _opens_pair(request)
    shown = [{"url": _pair_url(p, chosen) if opens(p) else None, "position": page.first_position + i,
              "probability": p.probability,
              "sources": [SOURCE_LABELS.get(s, s) for s in p.sources], "suppliers": p.suppliers,
              "records_affected": p.records_affected} for i, p in enumerate(page.pairs)]
    base = reverse("linkage:review")
    pagination = {
        "items": [{"number": n, "href": base + _query(chosen, page=n), "current": n == page.page}
                  for n in range(max(1, page.page - 3), min(page.page_count, page.page + 3) + 1)],
        "previous": {"href": base + _query(chosen, page=page.page - 1)} if page.page > 1 else None,
        "next": {"href": base + _query(chosen, page=page.page + 1)} if page.page < page.page_count else None,
    }
    context = {
        "pairs": shown, "total": page.total, "page": page, "pagination": pagination, "chosen": chosen,
        # A chosen value stays on offer after its last pair is decided, so the form shows what is applied.
        "sources": [(s, SOURCE_LABELS.get(s, s)) for s in sorted({*sources, *([chosen.source] if chosen.source else [])})],
        "suppliers": sorted({*suppliers, *([chosen.supplier] if chosen.supplier else [])}), "bands": BANDS,
    }
    return render(request, "linkage/review.html", context)


def _shown_pair(request: HttpRequest, con: duckdb.DuckDBPyConnection, left: str, right: str) -> tuple[list[Any], list[dict[str, str]], list[Any]]:
    """Both records of a pair, their audit references, and the decisions that allow showing them."""
    records = [shown_record(con, left), shown_record(con, right)]
    if None in records:
        raise Http404("One of the records is no longer in the warehouse.")
    refs = [{"dataset": r.source, "supplier": r.supplier_code, "record_key": r.record_key,
             "person_id": r.person_id} for r in records if r]
    # Identifiers are shown only to someone allowed to link each source and to view the clusters.
    decisions = [_decide(request, "view_record", "person_link", PAIR_FIELDS, refs)]
    decisions += [_decide(request, "link", r.source, displayed_fields(r.source), refs) for r in records if r]
    return [r for r in records if r], refs, decisions


def _saved_label(request: HttpRequest, con: duckdb.DuckDBPyConnection, left: str, right: str) -> bool:
    """Store the posted decision on the pair; False when none was chosen."""
    choice = request.POST.get("decision", "")
    if choice not in ("same", "not_same"):
        return False
    note = request.POST.get("note", "").strip()[:500] or None
    record_decision(con, left, right, choice, str(request.user.pk),  # type: ignore[arg-type]
                    datetime.now(UTC).replace(tzinfo=None), note)
    return True


def _label_posted(request: HttpRequest, con: duckdb.DuckDBPyConnection, pair: Any, refs: Any,
                  decisions: Any) -> list[dict[str, str]]:
    """Store the posted label of ``pair`` and audit the look at its two records; the form's errors (none when
    it was stored), for the pair pages of the review queue and of the labelling sample."""
    if not _saved_label(request, con, pair.unique_id_l, pair.unique_id_r):
        return [{"text": "Select whether these records are the same person", "href": "#decision"}]
    for decision in decisions:
        record_access(decision, row_count=2, subject_refs=refs)
    return []


def _compared_rows(shown: list[Any]) -> list[dict[str, Any]]:
    differ = differing_fields(shown)
    return [{"label": FIELD_LABELS[f], "values": [r.values.get(f, "") for r in shown], "differs": f in differ}
            for f in SHOWN_FIELDS]


@guard_page(REVIEW_PAGES)
@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, token: str) -> HttpResponse:
    chosen = _chosen_filter(request)
    try:
        with warehouse() as con:
            opens = _opens_pair(request)
            queue = [p for p in ordered_pairs(con, chosen) if opens(p)]
            tokens = [pair_token(settings.SECRET_KEY, p.unique_id_l, p.unique_id_r) for p in queue]
            if token not in tokens:
                raise Http404("This pair is no longer waiting for review.")
            position = tokens.index(token)
            pair = queue[position]
            following = queue[position + 1] if position + 1 < len(queue) else None
            shown, refs, decisions = _shown_pair(request, con, pair.unique_id_l, pair.unique_id_r)
            errors: list[dict[str, str]] = []
            if request.method == "POST":
                errors = _label_posted(request, con, pair, refs, decisions)
                if not errors:
                    if following is not None:
                        return redirect(_pair_url(following, chosen))
                    return redirect(reverse("linkage:review") + _query(chosen))
            stored = stored_pair_scores(con, pair.unique_id_l, pair.unique_id_r)
            model = load_model(con, stored[1]) if stored else None
    except WarehouseBusy:
        return _busy(request)
    for decision in decisions:
        record_access(decision, row_count=2, subject_refs=refs)
    context = {
        "pair": pair, "records": shown, "rows": _compared_rows(shown), "form_errors": errors, "position": position + 1,
        "count": len(queue), "skip_url": _pair_url(following, chosen) if following else None,
        "queue_url": reverse("linkage:review") + _query(chosen),
        **explanation_context(stored[0] if stored else None, model.model if model else None),
    }
    return render(request, "linkage/pair.html", context)


@guard_page(REVIEW_PAGES)
def quality(request: HttpRequest) -> HttpResponse:
    decision = _decide(request, "view_record", "person_link", QUEUE_FIELDS)
    try:
        with warehouse() as con:
            context = quality_context(con)
    except WarehouseBusy:
        return _busy(request)
    record_access(decision, row_count=int(context["persons"]))
    return render(request, "linkage/quality.html", context)


def _sample_pair_url(pair: SamplePair) -> str:
    return str(reverse("linkage:sample_pair", args=[pair_token(settings.SECRET_KEY, pair.unique_id_l, pair.unique_id_r)]))


@guard_page(REVIEW_PAGES)
@require_http_methods(["GET", "POST"])
def label_sample(request: HttpRequest) -> HttpResponse:
    """The stratified sample for estimating precision and recall: draw one (POST), or see it and its labels."""
    decision = _decide(request, "view_record", "person_link", QUEUE_FIELDS)
    errors: list[dict[str, str]] = []
    try:
        with warehouse() as con:
            if request.method == "POST":
                seed = secrets.randbelow(2**31)
                try:
                    sample_id = draw_sample(con, seed, str(request.user.pk), datetime.now(UTC).replace(tzinfo=None))
                except NothingToSample as nothing:
                    errors = [{"text": str(nothing), "href": "#draw"}]
                else:
                    record_request_event(request, "registry", "ok", action="label_sample_drawn",
                                         payload={"sample_id": sample_id, "seed": seed})
                    return redirect(reverse("linkage:label_sample"))
            sample = load_sample(con)
            stale = sample is not None and sample.run_id != latest_run_id(con)
    except WarehouseBusy:
        return _busy(request)
    record_access(decision, row_count=len(sample.pairs) if sample else 0)
    opens = _opens_pair(request)
    pairs = [{"position": p.position, "url": _sample_pair_url(p) if opens(p) else None,
              "sources": [SOURCE_LABELS.get(s, s) for s in p.sources], "suppliers": p.suppliers,
              "label": {"same": "The same person", "not_same": "Not the same person"}.get(p.label or "", "Not labelled yet")}
             for p in (sample.pairs if sample else ())]
    next_pair = next((p["url"] for p in pairs if p["url"] and p["label"] == "Not labelled yet"), None)
    return render(request, "linkage/label_sample.html", {
        "sample": sample, "pairs": pairs, "next_url": next_pair, "stale": stale if sample else False,
        "form_errors": errors, "labelled": sum(1 for p in pairs if p["label"] != "Not labelled yet"),
        "drawn_at": sample.drawn_at.replace(tzinfo=UTC) if sample else None,  # stored in UTC
    })


@guard_page(REVIEW_PAGES)
@require_http_methods(["GET", "POST"])
def sample_pair(request: HttpRequest, token: str) -> HttpResponse:
    """Label one sample pair, without the model's opinion (a reviewer who sees the score leans towards it)."""
    try:
        with warehouse() as con:
            sample = load_sample(con)
            opens = _opens_pair(request)
            pairs = [p for p in sample.pairs if opens(p)] if sample else []
            tokens = [pair_token(settings.SECRET_KEY, p.unique_id_l, p.unique_id_r) for p in pairs]
            if token not in tokens:
                raise Http404("This pair is not in the current sample: open the sample again.")
            position = tokens.index(token)
            pair = pairs[position]
            # Next: the first pair still unlabelled after this one, then from the start.
            following = next((p for p in [*pairs[position + 1:], *pairs[:position]] if p.label is None), None)
            shown, refs, decisions = _shown_pair(request, con, pair.unique_id_l, pair.unique_id_r)
            errors: list[dict[str, str]] = []
            if request.method == "POST":
                errors = _label_posted(request, con, pair, refs, decisions)
                if not errors:
                    return redirect(_sample_pair_url(following) if following else reverse("linkage:label_sample"))
    except WarehouseBusy:
        return _busy(request)
    for decision in decisions:
        record_access(decision, row_count=2, subject_refs=refs)
    return render(request, "linkage/pair.html", {
        "pair": pair, "records": shown, "rows": _compared_rows(shown), "form_errors": errors, "blind": True,
        "position": position + 1, "count": len(pairs), "already": pair.label,
        "skip_url": _sample_pair_url(following) if following else None,
        "queue_url": reverse("linkage:label_sample"), "back_text": "Back to the sample",
    })
