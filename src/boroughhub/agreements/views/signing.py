"""The signing page and the confirmation after it: the content hash shown is the hash signed (spec §7.2).

The page puts the decision first, then what changed since the version before (or, for a first
version, from its template: S7), then the full text folded away; after a decision the signer sees
what was recorded and what happens next.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.agreements.forms import SignForm, error_list
from boroughhub.agreements.models import AgreementVersion, SignOff
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.agreements.store.signing import designated_signatory, effective_sign_offs, sign
from boroughhub.organisations import Role, require_role

from .common import changes_for_signatory, names, page, visible_version
from .describe import describe_version

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
    shown = _signable_version(request, agreement_id, version)
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
            return redirect("agreements:signed", agreement_id=agreement_id, version=version)
    elif form.errors:
        status = 400
    known = names()
    return render(request, "agreements/sign.html", page(
        request, version=shown, form=form, form_errors=error_list(form),
        plain=describe_version(shown.content, known), compared=changes_for_signatory(shown, known),
        organisation_name=acting.organisation.name), status=status)


@require_role(*SIGNING_ROLES)
def signed(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    """What was recorded (decision, signer, time, hash) and whether the version is now active or who
    still has to sign. Only the person who signed sees it: anyone else has nothing recorded to confirm."""
    acting = request.acting  # type: ignore[attr-defined]
    shown = _signable_version(request, agreement_id, version)
    sign_off = SignOff.objects.filter(version=shown, party_id=acting.org_id, signer=acting.user).order_by(
        "-signed_at", "-id").first()
    if sign_off is None:
        raise Http404("You have not signed this version")
    known = names()
    approvals = effective_sign_offs(shown) if shown.content_hash else {}
    waiting = [_waiting_party(shown, party, known.organisation(party)) for party in shown.party_ids
               if getattr(approvals.get(party), "decision", None) != "approve"]
    return render(request, "agreements/signed.html", page(
        request, version=shown, sign_off=sign_off, waiting=waiting, organisation_name=acting.organisation.name,
        lead_party=known.organisation(shown.lead_party_id),
        may_read=acting.role in (Role.IG_LEAD, Role.HUB_ADMIN)))


def _waiting_party(version: AgreementVersion, party_id: str, name: str) -> dict[str, Any]:
    designation = designated_signatory(version, party_id)
    person = designation.user if designation is not None else None
    return {"name": name, "signatory": (person.display_name or person.email) if person is not None else ""}


def _mfa_at(request: HttpRequest) -> datetime | None:
    value = request.session.get(MFA_AT_SESSION_KEY)
    try:
        parsed = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _signable_version(request: HttpRequest, agreement_id: str, version: int) -> AgreementVersion:
    """IG leads and hub admins see what ``visible_version`` lets them; a delegate (any role) reaches
    only versions their organisation is party to."""
    acting = request.acting  # type: ignore[attr-defined]
    if acting.role in (Role.IG_LEAD, Role.HUB_ADMIN):
        return visible_version(request, agreement_id, version)
    found = AgreementVersion.objects.filter(agreement_id=agreement_id, version=version).first()
    if found is None or acting.org_id not in found.party_ids:
        raise Http404("No such agreement version")
    return found
