"""The people pages: invitations sent (hub admins and IG leads), invite one person, invite from a CSV
file, and the page an invited person opens to accept (the only page here that needs no sign-in)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from boroughhub.organisations import Role, error_list, require_role

from .forms import AcceptForm, InviteFileForm, InviteForm
from .invitation_file import COLUMNS, read_invitation_file
from .rules import LONDON, InvitationRequest, Problem, check_invitation
from .store import (
    InvitationsRefused,
    Unusable,
    accept_invitation,
    audit_refused_invitations,
    cancel_invitation,
    check_usable,
    find_invitation,
    grantable_for,
    invitation_state,
    invitations_seen_by,
    invite_people,
    is_new_person,
    organisations_open_to,
    utc_now,
)

INVITERS = (Role.HUB_ADMIN, Role.IG_LEAD)


def _roles_offered(acting: Any, organisations: list[Any]) -> list[Role]:
    """Every role this session may give in at least one of its organisations, in the hub's order."""
    grantable = set().union(*(grantable_for(acting, o.pk) for o in organisations)) if organisations else set()
    return [role for role in Role if role in grantable]


def _choices(form: Any, name: str, *, prompt: str = "") -> list[dict[str, Any]]:
    """A choice field's options as GOV.UK select or radio items, the chosen one marked."""
    chosen = str(form[name].value() or "")
    items = [{"value": "", "text": prompt}] if prompt else []
    return items + [{"value": str(value), "text": text, "selected": str(value) == chosen,
                     "checked": str(value) == chosen} for value, text in form.fields[name].choices]


def _today() -> Any:
    return utc_now().astimezone(LONDON).date()


@require_role(*INVITERS)
def people_list(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    moment = utc_now()
    invitations = [(i, invitation_state(i, moment)) for i in invitations_seen_by(acting)[:300]]
    return render(request, "people/list.html", {
        "invitations": invitations, "sent": request.GET.get("sent", ""), "is_hub_admin": acting.role is Role.HUB_ADMIN,
        "cancelled": request.GET.get("cancelled") == "1",
    })


@require_http_methods(["POST"])
@require_role(*INVITERS)
def cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Cancel a waiting invitation; one that is not this session's to cancel, or no longer waiting, is a 404."""
    if cancel_invitation(request.acting, invitation_id) is None:  # type: ignore[attr-defined]
        raise Http404("No waiting invitation of yours")
    return redirect("/people/?cancelled=1")


@require_http_methods(["GET", "POST"])
@require_role(*INVITERS)
def invite_person(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    organisations = organisations_open_to(acting)
    form = InviteForm(request.POST or None, organisations=organisations, roles=_roles_offered(acting, organisations),
                      initial={"organisation": acting.org_id})
    if request.method == "POST" and form.is_valid():
        organisation_id = form.cleaned_data["organisation"]
        data = form.cleaned_data
        request_ = InvitationRequest(data["email"], data["name"], data["role"], data["starts"], data["ends"])
        checked, problems = check_invitation(request_, grantable_for(acting, organisation_id), _today())
        if checked is not None:
            try:
                invite_people(acting, organisation_id, [(1, checked)])
                return redirect("/people/?sent=1")
            except InvitationsRefused as refused:
                problems = [Problem(p.column, p.rule, p.message, p.value) for p in refused.problems]
        audit_refused_invitations(acting, organisation_id, [p.rule for p in problems], channel="web")
        form.add_problems(problems)
    return render(request, "people/invite.html", {
        "form": form, "form_errors": error_list(form) if request.method == "POST" else [],
        "choose_organisation": len(organisations) > 1, "role_items": _choices(form, "role"),
        "organisation_items": _choices(form, "organisation", prompt="Choose an organisation"),
    })


@require_http_methods(["GET", "POST"])
@require_role(*INVITERS)
def invite_from_file(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    organisations = organisations_open_to(acting)
    form = InviteFileForm(request.POST or None, request.FILES or None, organisations=organisations,
                          initial={"organisation": acting.org_id})
    problems: list[Any] = []
    form_errors = error_list(form) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        organisation_id = form.cleaned_data["organisation"]
        checked = read_invitation_file(form.cleaned_data["file"].read(), grantable_for(acting, organisation_id),
                                       _today())
        problems = checked.problems
        if not problems:
            try:
                sent = invite_people(acting, organisation_id, checked.invitations, batch=uuid.uuid4().hex[:12])
                return redirect(f"/people/?sent={len(sent)}")
            except InvitationsRefused as refused:
                problems = refused.problems
        audit_refused_invitations(acting, organisation_id, [p.rule for p in problems], channel="file")
        rows = len({p.row for p in problems})
        form_errors = [{"text": f"{rows} row{'' if rows == 1 else 's'} of the file {'has' if rows == 1 else 'have'} "
                        "problems. Nobody was invited: correct the rows listed and upload the file again",
                        "href": "#report"}]
    return render(request, "people/invite_file.html", {
        "form": form, "form_errors": form_errors, "problems": problems, "columns": COLUMNS,
        "choose_organisation": len(organisations) > 1,
        "organisation_items": _choices(form, "organisation", prompt="Choose an organisation"),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    moment = utc_now()
    invitation = find_invitation(token)
    try:
        check_usable(invitation, moment)
    except Unusable as problem:
        return _unusable(request, problem)
    new_person = is_new_person(invitation)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        if new_person:
            if password != form.cleaned_data["again"]:
                form.add_error("again", "Enter the same password twice")
            else:
                try:
                    validate_password(password, invitation.user)
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error("password", message)
        if not form.errors:
            try:
                accepted = accept_invitation(token, password, moment=moment)
            except Unusable as problem:
                if problem.reason != "wrong_password":
                    return _unusable(request, problem)
                form.add_error("password", problem.message)
            else:
                return render(request, "people/accepted.html", {
                    "invitation": accepted, "starts_later": accepted.valid_from > moment,
                    "second_factor": settings.REQUIRE_SECOND_FACTOR})
    return render(request, "people/accept.html", {
        "invitation": invitation, "new_person": new_person, "form": form,
        "form_errors": error_list(form) if request.method == "POST" else [],
    })


def _unusable(request: HttpRequest, problem: Unusable) -> HttpResponse:
    return render(request, "people/unusable.html", {"problem": problem},
                  status=404 if problem.reason == "unknown" else 410)
