"""The signing page: the content hash shown is the hash signed (spec §7.2)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.agreements.forms import SignForm, error_list
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.agreements.store.signing import sign
from boroughhub.organisations import Role, require_role

from .common import dataset_titles, organisation_names, page, purpose_labels, visible_version
from .describe import describe_datasets, describe_permission

#: Where the sign-in flow records the time of the last second-factor check (ISO 8601, UTC); the
#: organisations app sets it at each TOTP verification. Without it, production refuses to sign (S1).
MFA_AT_SESSION_KEY = "boroughhub_mfa_at"

# Any role may reach the page: whether this person may sign is the signing rule's decision (S2),
# and a refusal is audited.
SIGNING_ROLES = tuple(Role)


@require_http_methods(["GET", "POST"])
@require_role(*SIGNING_ROLES)
def sign_version(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    shown = visible_version(request, agreement_id, version) if acting.role in (Role.IG_LEAD, Role.HUB_ADMIN) \
        else _party_version(request, agreement_id, version)
    form = SignForm(request.POST if request.method == "POST" else None, initial={"content_hash": shown.content_hash})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sign(acting, shown, data["decision"], data["content_hash"], position=data["position"],
                 reason=data["reason"], idempotency_key=data["idempotency_key"], mfa_at=_mfa_at(request))
        except Refused as refused:
            form.add_error("decision" if refused.code != "REASON_REQUIRED" else "reason", refused.message)
            status = refused.http_status
        else:
            return redirect("agreements:version", agreement_id=agreement_id, version=version)
    elif form.errors:
        status = 400
    names, purposes, titles = organisation_names(), purpose_labels(), dataset_titles()
    return render(request, "agreements/sign.html", page(
        request, version=shown, form=form, form_errors=error_list(form), names=names,
        permissions=[describe_permission(p, names, purposes, titles) for p in shown.content.get("permissions", [])],
        datasets=describe_datasets(shown.content, titles),
        organisation_name=acting.organisation.name), status=status)


def _mfa_at(request: HttpRequest) -> datetime | None:
    value = request.session.get(MFA_AT_SESSION_KEY)
    try:
        parsed = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _party_version(request: HttpRequest, agreement_id: str, version: int):  # type: ignore[no-untyped-def]
    """A delegate (any role) reaches only versions their organisation is party to."""
    from django.http import Http404

    from boroughhub.agreements.models import AgreementVersion

    found = AgreementVersion.objects.filter(agreement_id=agreement_id, version=version).first()
    if found is None or request.acting.org_id not in found.party_ids:  # type: ignore[attr-defined]
        raise Http404("No such agreement version")
    return found
