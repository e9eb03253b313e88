"""The IG lead's pages: their organisation's agreements, one version in plain English, what changed,
designating a signatory, and a new draft from a template."""

from __future__ import annotations

import copy
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.agreements.accession_words import describe_joined, describe_profiles
from boroughhub.agreements.forms import DesignateForm, NewDraftForm, error_list
from boroughhub.agreements.models import Accession, AgreementVersion, Notification, Template, VersionParty
from boroughhub.agreements.store.accession import open_for_accession
from boroughhub.agreements.store.documents import accession_record, version_document
from boroughhub.agreements.store.lifecycle import Refused, create_agreement
from boroughhub.agreements.store.notices import now
from boroughhub.agreements.store.signing import designate_signatory as designate
from boroughhub.agreements.store.signing import designated_signatory, effective_sign_offs
from boroughhub.agreements.store.validation import validate_version
from boroughhub.agreements.store.withdrawal import why_not_withdraw
from boroughhub.organisations import Role, require_role

from .common import READ_ROLES, changes_for_signatory, names, organisation_names, page, visible_version
from .describe import PARTY_ROLE_WORDS, describe_version, london

LONDON = ZoneInfo("Europe/London")


@require_role(*READ_ROLES)
def agreement_list(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    versions = AgreementVersion.objects.select_related("lead_party").order_by("agreement_id", "-version")
    if acting.role != Role.HUB_ADMIN:
        mine = VersionParty.objects.filter(organisation_id=acting.org_id).values("version_id")
        joined = Accession.objects.filter(party_id=acting.org_id, status="joined").values("version_id")
        versions = versions.filter(Q(pk__in=mine) | Q(pk__in=joined))
    notifications = Notification.objects.filter(organisation_id=acting.org_id, role=str(acting.role))[:20]
    waiting = [v for v in versions if v.status == "in_signature"]
    joinable = len(open_for_accession(acting.org_id)) if acting.role == Role.IG_LEAD else 0
    return render(request, "agreements/list.html", page(
        request, versions=versions, notifications=notifications, waiting=waiting, names=organisation_names(),
        joinable=joinable))


@require_role(*READ_ROLES)
def version_detail(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    shown = visible_version(request, agreement_id, version)
    acting = request.acting  # type: ignore[attr-defined]
    content = shown.content
    known = names()
    signed = effective_sign_offs(shown) if shown.content_hash else {}
    parties = []
    for party in content.get("parties", []):
        if not isinstance(party, dict):
            continue
        org_id, role = str(party.get("org_id", "")), str(party.get("role", ""))
        parties.append({
            "id": org_id, "name": known.organisation(org_id), "role": PARTY_ROLE_WORDS.get(role, role),
            "officer": party.get("accountable_officer", ""), "signatory": designated_signatory(shown, org_id),
            "sign_off": signed.get(org_id)})
    report = validate_version(shown) if shown.status == "draft" else None
    my_signatory = designated_signatory(shown, acting.org_id)
    accessions = list(shown.accessions.all())
    return render(request, "agreements/version.html", page(
        request, version=shown, content=content, parties=parties, plain=describe_version(content, known),
        history=shown.status_history.all(), report=report, names=known.organisations,
        may_sign=shown.status == "in_signature" and my_signatory is not None
        and my_signatory.user_id == acting.user.pk,
        may_designate=acting.role == Role.IG_LEAD and not shown.is_terminal,
        earlier=shown.agreement.versions.filter(version__lt=shown.version).order_by("-version").first(),
        joined=describe_joined([accession_record(a) for a in accessions], content, known),
        profiles=describe_profiles(content, known),
        waiting_to_join=sum(1 for a in accessions if a.status == "requested") if acting.role == Role.HUB_ADMIN else 0,
        # The withdrawal page's own rule (store/withdrawal.py), asked before the link is offered.
        may_withdraw=acting.role == Role.IG_LEAD and why_not_withdraw(shown, acting.org_id, now()) is None,
        withdrawals=describe_withdrawals(shown, known),
    ))


def describe_withdrawals(version: AgreementVersion, known: Any) -> list[dict[str, str]]:
    """Each party that gave notice: when, and from when it is no longer a party (London time)."""
    return [{"name": known.organisation(w.party_id), "notice": london(w.notice_given_at), "effective": london(w.effective_at)}
            for w in version.withdrawals.order_by("effective_at", "id")]


@require_role(*READ_ROLES)
def version_changes(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    """What changed between an earlier version (``?from=N``, default the one before) and this one."""
    shown = visible_version(request, agreement_id, version)
    if shown.version == 1 and "from" not in request.GET:
        # A first version has no version before it: it is compared with the template it was drafted from.
        compared = changes_for_signatory(shown, names())
        if compared is None:
            raise Http404("This version was not drafted from a template")
        return render(request, "agreements/changes.html", page(request, version=shown, compared=compared))
    try:
        earlier_number = int(request.GET.get("from", shown.version - 1))
    except ValueError:
        earlier_number = shown.version - 1
    earlier = visible_version(request, agreement_id, earlier_number)
    compared = changes_for_signatory(shown, names(), earlier=earlier)
    return render(request, "agreements/changes.html", page(request, version=shown, compared=compared))


@require_role(*READ_ROLES)
def version_document_json(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    shown = visible_version(request, agreement_id, version)
    return JsonResponse(version_document(shown), json_dumps_params={"indent": 2, "ensure_ascii": False})


def _members(org_id: str) -> list[Any]:
    from boroughhub.organisations import User

    return list(User.objects.filter(is_active=True, role_grants__organisation_id=org_id,
                                    role_grants__revoked_at__isnull=True).distinct().order_by("email"))


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD)
def designate_signatory(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    shown = visible_version(request, agreement_id, version)
    acting = request.acting  # type: ignore[attr-defined]
    people = _members(acting.org_id)
    form = DesignateForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        person = next(p for p in people if str(p.pk) == form.cleaned_data["user"])
        try:
            designate(acting, shown, acting.org_id, person)
        except Refused as refused:
            form.add_error("user", refused.message)
        else:
            return redirect("agreements:version", agreement_id=agreement_id, version=version)
    return render(request, "agreements/designate.html", page(
        request, version=shown, form=form, form_errors=error_list(form), people=people,
        current=designated_signatory(shown, acting.org_id)), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD)
def new_draft(request: HttpRequest) -> HttpResponse:
    """A new agreement drafted from a published template; the creator's organisation leads it."""
    acting = request.acting  # type: ignore[attr-defined]
    templates = list(Template.objects.filter(status="published").order_by("name", "version"))
    form = NewDraftForm(request.POST if request.method == "POST" else None, templates=templates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = next(t for t in templates if str(t.pk) == data["template"])
        content = _draft_content(template, data, acting.org_id)
        try:
            created = create_agreement(acting, data["agreement_id"], content, template=template)
        except Refused as refused:
            form.add_error("agreement_id", refused.message)
        else:
            return redirect("agreements:version", agreement_id=created.agreement_id, version=created.version)
    return render(request, "agreements/new_draft.html", page(
        request, form=form, form_errors=error_list(form), templates=templates), status=400 if form.errors else 200)


def london_midnight(day: Any) -> str:
    """00:00 London on ``day`` as a UTC instant (spec §7.4 Z4: London midnight always exists)."""
    return datetime.combine(day, time(0, 0), LONDON).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _draft_content(template: Template, data: dict[str, Any], lead_org: str) -> dict[str, Any]:
    from datetime import timedelta

    content = copy.deepcopy(template.defaults)
    content["title"] = data["title"]
    content.setdefault("agreement_type", template.template_type)
    content["template"] = {"id": template.template_id, "version": template.version}
    content.setdefault("parties", [{"org_id": lead_org, "role": "controller", "accountable_officer": "SIRO"}])
    time_block = content.setdefault("time", {})
    time_block["effective_from"] = london_midnight(data["first_day"])
    time_block["expires_at"] = london_midnight(data["last_day"] + timedelta(days=1))
    content.setdefault("legal_text", template.legal_text)
    return content
