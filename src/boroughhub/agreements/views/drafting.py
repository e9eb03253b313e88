"""Editing a draft, sending it for signature, proposing a new version, suspending and resuming.

Each page names the transition of spec §2.2 it performs; who may perform it is the lifecycle's
rule (``store.lifecycle``), and a refusal is shown as an error on the page.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from boroughhub.agreements.forms import EditDraftForm, ReasonForm, error_list
from boroughhub.agreements.schema import parse_version_text
from boroughhub.agreements.store import lifecycle
from boroughhub.agreements.store.lifecycle import Refused
from boroughhub.agreements.store.validation import validate_version
from boroughhub.organisations import Role, require_role

from .common import page, visible_version


def problems_as_errors(problems: list, anchor: str) -> list[dict[str, str]]:
    return [{"text": f"{p.path}: {p.message} ({p.code})", "href": f"#{anchor}"} for p in problems]


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD)
def edit_draft(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    """T2: any party's IG lead edits the content; a draft may be saved with problems (spec §7.1)."""
    shown = visible_version(request, agreement_id, version)
    initial = {"content": json.dumps(shown.content, indent=2, ensure_ascii=False), "revision": shown.revision}
    form = EditDraftForm(request.POST if request.method == "POST" else None, initial=initial)
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            content, parse_problems = parse_version_text(form.cleaned_data["content"])
            if content is None or not isinstance(content, dict):
                errors = problems_as_errors(parse_problems, "content") or [
                    {"text": "Enter the content as one JSON object", "href": "#content"}]
                status = 400
            else:
                try:
                    lifecycle.edit_draft(request.acting, shown, content, form.cleaned_data["revision"])  # type: ignore[attr-defined]
                except Refused as refused:
                    errors = [{"text": refused.message, "href": "#content"}]
                    status = refused.http_status
                else:
                    return redirect("agreements:edit", agreement_id=agreement_id, version=version)
        else:
            errors, status = error_list(form), 400
    report = validate_version(shown)
    return render(request, "agreements/edit.html", page(
        request, version=shown, form=form, form_errors=errors, report=report,
        problems=problems_as_errors(list(report.errors) + list(report.warnings), "content")), status=status)


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD)
def submit_for_signature(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    """T3: the lead party's IG lead freezes the content; every warning is acknowledged by name."""
    shown = visible_version(request, agreement_id, version)
    report = validate_version(shown, for_submission=True)
    errors = problems_as_errors(list(report.errors), "acknowledged")
    status = 200
    if request.method == "POST":
        try:
            lifecycle.submit(request.acting, shown, set(request.POST.getlist("acknowledged")))  # type: ignore[attr-defined]
        except Refused as refused:
            errors = [{"text": refused.message, "href": "#acknowledged"}, *errors]
            status = refused.http_status
        else:
            return redirect("agreements:version", agreement_id=agreement_id, version=version)
    return render(request, "agreements/submit.html", page(
        request, version=shown, report=report, form_errors=errors if request.method == "POST" else [],
        blocking=errors), status=status)


@require_POST
@require_role(Role.IG_LEAD)
def propose_new_version(request: HttpRequest, agreement_id: str, version: int) -> HttpResponse:
    """T1: an amendment or renewal starts as a draft copy of the version in force (spec §2.5, §2.9)."""
    shown = visible_version(request, agreement_id, version)
    try:
        created = lifecycle.start_new_version(request.acting, shown.agreement)  # type: ignore[attr-defined]
    except Refused as refused:
        return render(request, "agreements/refused.html", page(request, version=shown, refused=refused),
                      status=refused.http_status)
    return redirect("agreements:edit", agreement_id=agreement_id, version=created.version)


@require_http_methods(["GET", "POST"])
@require_role(Role.IG_LEAD, Role.HUB_ADMIN)
def change_state(request: HttpRequest, agreement_id: str, version: int, action: str) -> HttpResponse:
    """T8 suspend, T9 resume, T13 terminate, T6 recall, T7 abandon: each needs a reason recorded."""
    shown = visible_version(request, agreement_id, version)
    moves = {"suspend": lifecycle.suspend, "resume": lifecycle.resume, "terminate": lifecycle.terminate,
             "recall": lambda actor, v, reason: lifecycle.recall(actor, v),
             "abandon": lifecycle.abandon}
    if action not in moves:
        from django.http import Http404

        raise Http404("No such action")
    form = ReasonForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            moves[action](request.acting, shown, form.cleaned_data["reason"])  # type: ignore[attr-defined]
        except Refused as refused:
            form.add_error("reason", refused.message)
            status = refused.http_status
        else:
            return redirect("agreements:version", agreement_id=agreement_id, version=version)
    elif form.errors:
        status = 400
    return render(request, "agreements/change_state.html", page(
        request, version=shown, form=form, form_errors=error_list(form), action=action), status=status)
