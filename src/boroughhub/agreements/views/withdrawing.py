"""A party withdraws from a version (spec §2.6): its IG lead records the notice its signatory gave.

The page opens only for an IG lead of a party that may still withdraw (``why_not_withdraw``, the same rule
the store applies and the version page asks before it offers the link); anything else answers 404.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.agreements.forms import WithdrawForm, error_list
from boroughhub.agreements.models import AgreementVersion
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.agreements.store.notices import now
from boroughhub.agreements.store.withdrawal import earliest_effective, why_not_withdraw, withdraw
from boroughhub.organisations import Role, require_role

from .common import page

LONDON = ZoneInfo("Europe/London")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y")


def _london_day_start(text: str) -> datetime | None:
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(" ".join(text.split()), pattern).date()
        except ValueError:
            continue
        return datetime.combine(day, time(), LONDON)
    return None


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD)
def withdraw_from_version(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    shown = AgreementVersion.objects.filter(agreement_id=agreement_id, version=version).first()
    if shown is None or why_not_withdraw(shown, acting.org_id, now()) is not None:
        raise Http404("Nothing your organisation can withdraw from here")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        effective = _london_day_start(data["effective"]) if data["effective"].strip() else None
        if data["effective"].strip() and effective is None:
            form.add_error("effective", "Enter the date like 31/3/2027, or leave it empty")
        else:
            try:
                withdraw(acting, shown, position=data["position"], reason=data["reason"], effective_at=effective)
            except Refused as refused:
                form.add_error("effective" if refused.code in ("NOTICE_TOO_SHORT", "AFTER_EXPIRY") else "position",
                               refused.message)
                status = refused.http_status
            else:
                return redirect("agreements:version", agreement_id=agreement_id, version=version)
    if form.errors and status == 200:
        status = 400
    return render(request, "agreements/withdraw.html", page(
        request, version=shown, form=form, form_errors=error_list(form),
        earliest=earliest_effective(shown, now()), organisation_name=acting.organisation.name), status=status)
