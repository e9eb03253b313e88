"""Privacy officers' audit pages (spec §4.5) and the resident access list (§4.6).

A privacy officer sees entries where their organisation acted, supplied the data under the cited
agreement, or is a party to the agreement a governance entry cites. Every read is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from boroughhub.agreements.forms import error_list
from boroughhub.agreements.models import AgreementVersion, VersionParty
from boroughhub.agreements.views.common import dataset_titles, organisation_names, page, purpose_labels
from boroughhub.organisations.access import require_role
from boroughhub.organisations.roles import Role

from . import chain as audit
from .forms import AuditFilterForm, SubjectAccessForm
from .models import AuditEntry, AuditSubjectRefs
from .store import record_request_event

GOVERNANCE_EVENTS = ("registry", "sign_off", "sign_refused", "designation", "delegation")
WHAT_HAPPENED = {"upload": "uploaded", "link": "linked", "view_aggregate": "counted in figures",
                 "view_record": "viewed record", "view_unrounded": "counted in unrounded figures",
                 "export": "exported"}
PAGE_SIZE = 100


def entries_in_scope(org_id: str) -> Any:
    versions = AgreementVersion.objects.filter(
        pk__in=VersionParty.objects.filter(organisation_id=org_id).values("version_id"))
    party_to = set(versions.values_list("agreement_id", flat=True))
    supplied = Q(pk__in=[])
    for version in versions:
        for entry in version.content.get("datasets", []):
            if org_id in (entry.get("suppliers") or []):
                supplied |= Q(agreement_id=version.agreement_id, agreement_version=version.version,
                              dataset=entry.get("dataset_id"), event_type__in=("decision", "access"))
    # Another supplier's upload holds that supplier's data, not ours: an upload is in scope only through
    # its actor (org=org_id). Links, views and exports of a dataset we supply read our rows too.
    supplied &= ~Q(action="upload")
    return AuditEntry.objects.filter(
        Q(org=org_id) | Q(event_type__in=GOVERNANCE_EVENTS, agreement_id__in=party_to) | supplied)


@require_role(Role.PRIVACY_OFFICER)
def audit_entries(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None, event_types=sorted(audit.EVENT_TYPES))
    entries = entries_in_scope(acting.org_id)
    filters: dict[str, str] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        for name, value in filters.items():
            entries = entries.filter(**{name: value})
    shown = list(entries.order_by("-seq")[:PAGE_SIZE])
    record_request_event(request, "audit_read", "ok", payload={"report": "entries", "filters": filters,
                                                                 "entries_shown": len(shown)})
    return render(request, "audit/entries.html", page(
        request, form=form, form_errors=error_list(form), entries=shown, names=organisation_names(),
        page_size=PAGE_SIZE))


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


@require_role(Role.PRIVACY_OFFICER)
def subject_access(request: HttpRequest) -> HttpResponse:
    """The accesses to one resident's records supplied by the officer's own organisation."""
    acting = request.acting  # type: ignore[attr-defined]
    form = SubjectAccessForm(request.GET or None)
    rows: list[dict[str, Any]] = []
    withheld = 0
    searched = False
    if request.GET and form.is_valid():
        searched = True
        suppliers = {acting.org_id, acting.organisation.supplier_code} - {""}
        entries = accesses_to(form.cleaned_data["dataset"], suppliers, form.cleaned_data["record_key"])
        exempt = exempted_seqs(date.today())
        names, titles, purposes = organisation_names(), dataset_titles(), purpose_labels()
        versions = {(v.agreement_id, v.version): v.title for v in AgreementVersion.objects.all()}
        for entry in entries:
            if entry.seq in exempt:
                withheld += 1
                continue
            rows.append({
                "when": entry.occurred_at, "organisation": names.get(entry.org, entry.org or ""),
                "role": Role(entry.role).label if entry.role in Role._value2member_map_ else entry.role,
                "what": WHAT_HAPPENED.get(entry.action or "", entry.action or ""),
                "dataset": titles.get(entry.dataset or "", entry.dataset or ""),
                "purpose": purposes.get(entry.purpose or "", entry.purpose or ""),
                "agreement": f"{versions.get((entry.agreement_id, entry.agreement_version), entry.agreement_id)}"
                             f" (version {entry.agreement_version})",
            })
        record_request_event(request, "audit_read", "ok", payload={
            "report": "resident_access_list", "dataset": form.cleaned_data["dataset"], "results": len(rows),
            "withheld": withheld})
    return render(request, "audit/resident.html", page(
        request, form=form, form_errors=error_list(form) if request.GET else [], rows=rows, withheld=withheld,
        searched=searched), status=400 if request.GET and form.errors else 200)
