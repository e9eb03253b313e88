"""Joining an agreement by accession (docs/agreements-accession.md): the IG lead of an organisation that
is not a party sees the versions it may join and signs one under a profile; the hub admin countersigns.

The join page follows the signing page: the decision (the profile) first, then what it allows, then
the signer's authority and the content hash; in production a recent second factor, as for signing.
A page offers only what its store function would accept: ``open_for_accession`` is the rule for both.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boroughhub.agreements.accession import accession_profiles
from boroughhub.agreements.accession_words import describe_profiles
from boroughhub.agreements.forms import CountersignForm, JoinForm, error_list
from boroughhub.agreements.models import Accession, AgreementVersion
from boroughhub.agreements.store.accession import accede, countersign, open_for_accession
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.organisations import Role, require_role

from .common import names, page
from .describe import describe_version
from .signing import _mfa_at


@require_role(Role.IG_LEAD)
def agreements_to_join(request: HttpRequest) -> HttpResponse:
    """The active versions the organisation may join, and its own requests so far."""
    acting = request.acting  # type: ignore[attr-defined]
    known = names()
    offered = [{"version": v, "profiles": [p.title for p in profiles]} for v, profiles in open_for_accession(acting.org_id)]
    requests = Accession.objects.filter(party_id=acting.org_id).select_related("version").order_by("-signed_at")
    return render(request, "agreements/join_list.html", page(
        request, offered=offered, requests=requests, organisation_name=acting.organisation.name, names=known))


def _joinable(org_id: str, agreement_id: str, number: int) -> tuple[AgreementVersion, list[Any]]:
    """The version and the profiles the organisation may join it under; a 404 for anything else, so the
    page does not confirm that an agreement it may not join exists."""
    for version, profiles in open_for_accession(org_id):
        if (version.agreement_id, version.version) == (agreement_id, number):
            return version, profiles
    raise Http404("No such agreement open to your organisation")


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD)
def join_version(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    shown, profiles = _joinable(acting.org_id, agreement_id, version)
    form = JoinForm(request.POST if request.method == "POST" else None, profiles=[(p.id, p.title) for p in profiles],
                    initial={"content_hash": shown.content_hash})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accede(acting, shown, data["profile"], data["content_hash"], position=data["position"],
                   accountable_officer=data["accountable_officer"], mfa_at=_mfa_at(request))
        except Refused as refused:
            form.add_error("profile", refused.message)
            status = refused.http_status
        else:
            return redirect("agreements:join")
    elif form.errors:
        status = 400
    known = names()
    open_to = {p.id for p in profiles}
    return render(request, "agreements/join.html", page(
        request, version=shown, form=form, form_errors=error_list(form), plain=describe_version(shown.content, known),
        profiles=[d for d in describe_profiles(shown.content, known) if d["id"] in open_to],
        organisation_name=acting.organisation.name), status=status)


def _version_for_admin(agreement_id: str, number: int) -> AgreementVersion:
    version = AgreementVersion.objects.filter(agreement_id=agreement_id, version=number).first()
    if version is None:
        raise Http404("No such agreement version")
    return version


@require_role(Role.HUB_ADMIN)
def accession_requests(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    """Every request to join this version: waiting ones to countersign, and those already decided."""
    shown = _version_for_admin(agreement_id, version)
    known = names()
    titles = {p.id: p.title for p in accession_profiles(shown.content).values()}
    rows = [{"accession": a, "name": known.organisation(a.party_id), "profile": titles.get(a.profile, a.profile)}
            for a in shown.accessions.select_related("signer").order_by("signed_at", "id")]
    return render(request, "agreements/accessions.html", page(request, version=shown, rows=rows))


@require_http_methods(["GET", "POST"])
@require_role(Role.HUB_ADMIN)
def countersign_accession(request: HttpRequest, agreement_id: str, version: int, accession_id: int) -> HttpResponse:
    shown = _version_for_admin(agreement_id, version)
    pending = shown.accessions.select_related("party", "signer").filter(pk=accession_id, status="requested").first()
    if pending is None:
        raise Http404("No request waiting for a countersignature")
    acting = request.acting  # type: ignore[attr-defined]
    form = CountersignForm(request.POST if request.method == "POST" else None, initial={"accession": pending.pk})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            countersign(acting, pending, decline_reason=data["reason"] if data["decision"] == "decline" else "",
                        mfa_at=_mfa_at(request))
        except Refused as refused:
            form.add_error("decision", refused.message)
            status = refused.http_status
        else:
            return redirect("agreements:accessions", agreement_id=agreement_id, version=version)
    elif form.errors:
        status = 400
    known = names()
    profile = next((d for d in describe_profiles(shown.content, known) if d["id"] == pending.profile), None)
    return render(request, "agreements/countersign.html", page(
        request, version=shown, pending=pending, profile=profile, form=form, form_errors=error_list(form),
        name=known.organisation(pending.party_id)), status=status)
