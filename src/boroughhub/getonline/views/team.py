"""The service team's pages: hub applications and staff accounts, stock requests, and the stock itself
(operators' code files, donations, wipes, the device lifecycle, completions).

For sessions acting as the Get Online service team: the role is granted at the collaboration office (the
hub operator), and the role is the whole rule, so whatever offers these pages asks the same rule."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boroughhub.audit import record_request_event
from boroughhub.getonline import store
from boroughhub.getonline.boroughs import boroughs
from boroughhub.getonline.csvfiles import ImportRefused
from boroughhub.getonline.forms import (
    CapForm,
    CodesFileForm,
    DecisionForm,
    DeviceStepForm,
    FileForm,
    StaffForm,
)
from boroughhub.getonline.models import Hub, StockRequest
from boroughhub.getonline.rules import DeviceState, Refusal
from boroughhub.getonline.views.hub import who
from boroughhub.organisations import Role, RoleGrant, User, require_role

TEAM = Role.INCLUSION_TEAM
#: What the last change on the stock page did, said once on the page it leads back to.
DONE_KEY = "getonline_stock_done"


def form_errors(form: Any) -> list[dict[str, str]]:
    """``error_list`` for forms with a prefix (several forms on one page): each links to its field."""
    return [{"text": str(message), "href": f"#{form.add_prefix(name) if name != '__all__' else 'main-content'}"}
            for name, messages in form.errors.items() for message in messages]


def _team_home(request: HttpRequest, refused: str = "") -> HttpResponse:
    context = {"applications": Hub.objects.filter(status="applied").order_by("applied_at"),
               "hubs": store.approved_hubs().count(), "boroughs": boroughs(),
               "requests": StockRequest.objects.filter(status="open").select_related("hub").order_by("requested_at"),
               "refused": refused}
    return render(request, "getonline/team_home.html", context, status=400 if refused else 200)


@require_GET
@require_role(TEAM)
def team_home(request: HttpRequest) -> HttpResponse:
    return _team_home(request)


@require_http_methods(["GET", "POST"])
@require_role(TEAM)
def hub_page(request: HttpRequest, hub_id: int) -> HttpResponse:
    hub = get_object_or_404(Hub, pk=hub_id)
    decision, staff = DecisionForm(prefix="d"), StaffForm(prefix="s")
    cap = CapForm(prefix="c", initial={"cap": hub.open_request_cap})
    new_password = ""
    if request.method == "POST" and "d-decision" in request.POST:
        decision = DecisionForm(request.POST, prefix="d")
        if decision.is_valid():
            try:
                store.decide_hub(hub, decision.cleaned_data["decision"] == "approve", decision.cleaned_data["note"],
                                 who(request), store.london_now())
                return redirect("getonline:team_hub", hub_id=hub.pk)
            except Refusal as refusal:
                decision.add_error("decision", refusal.message)
    elif request.method == "POST" and "c-cap" in request.POST:
        cap = CapForm(request.POST, prefix="c")
        if cap.is_valid():
            store.set_request_cap(hub, cap.cleaned_data["cap"], who(request))
            return redirect("getonline:team_hub", hub_id=hub.pk)
    elif request.method == "POST" and hub.organisation is not None:
        staff = StaffForm(request.POST, prefix="s")
        if staff.is_valid():
            new_password = _add_staff(request, hub, staff.cleaned_data["email"].lower())
    errors = [error for form in (decision, staff, cap) if form.is_bound for error in form_errors(form)]
    workers = (RoleGrant.objects.filter(organisation=hub.organisation, role=Role.INCLUSION_WORKER,
                                        revoked_at__isnull=True).select_related("user") if hub.organisation else [])
    context = {"hub": hub, "decision": decision, "staff": staff, "cap": cap, "form_errors": errors, "workers": workers,
               "borough": boroughs().get(hub.borough, hub.borough), "new_password": new_password}
    return render(request, "getonline/team_hub.html", context, status=400 if errors else 200)


def _add_staff(request: HttpRequest, hub: Hub, email: str) -> str:
    """A hub worker's account at the hub's organisation; a new account gets a one-time password the
    team passes on (shown once, never stored in clear)."""
    password = ""
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create(email=email, password=make_password(password))
        RoleGrant.objects.get_or_create(user=user, organisation=hub.organisation, role=Role.INCLUSION_WORKER,
                                        revoked_at=None, defaults={"granted_by": request.acting.user,  # type: ignore[attr-defined]
                                                                   "reason": "Get Online London hub staff"})
        record_request_event(request, "role_grant", "ok", action="go_hub_staff",
                             payload={"hub": hub.pk, "organisation": hub.organisation_id, "new_account": bool(password)})
    return password


@require_POST
@require_role(TEAM)
def meet_request(request: HttpRequest, request_id: int) -> HttpResponse:
    stock_request = get_object_or_404(StockRequest, pk=request_id)
    serials = [s.strip() for s in request.POST.get("serials", "").replace("\n", ",").split(",") if s.strip()]
    try:
        store.meet_request(stock_request, who(request), store.london_now(), serials)
    except Refusal as refusal:
        return _team_home(request, refusal.message)
    return redirect("getonline:team")


def _stock_page(request: HttpRequest, forms: dict[str, Any], errors: list[dict[str, str]],
                problems: ImportRefused | None = None, done: str = "") -> HttpResponse:
    today = store.london_now().date()
    context = {**forms, "stock": store.stock_on_hand(today), "form_errors": errors, "problems": problems,
               "done": done}
    return render(request, "getonline/stock.html", context, status=400 if errors else 200)


def _blank_forms() -> dict[str, Any]:
    return {"codes_form": CodesFileForm(prefix="c"), "file_form": FileForm(prefix="f"),
            "step_form": DeviceStepForm(prefix="s")}


@require_GET
@require_role(TEAM)
def stock(request: HttpRequest) -> HttpResponse:
    return _stock_page(request, _blank_forms(), [], done=request.session.pop(DONE_KEY, ""))


def _text(upload: Any) -> str | None:
    try:
        return str(upload.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None


@require_POST
@require_role(TEAM)
def stock_change(request: HttpRequest, what: str) -> HttpResponse:
    forms = _blank_forms()
    now, actor = store.london_now(), who(request)
    form: Any = {"codes": CodesFileForm, "file": FileForm, "step": DeviceStepForm}[what](
        request.POST, request.FILES, prefix=what[0]) if what in ("codes", "file", "step") else None
    if form is None:
        return redirect("getonline:stock")
    forms[f"{what}_form"] = form
    if not form.is_valid():
        return _stock_page(request, forms, form_errors(form))
    data = form.cleaned_data
    try:
        if what == "step":
            if data["certificate"].strip():
                store.record_wipe(data["serial"], data["certificate"].strip(), now.date(), actor, now)
            if data["exemption"].strip():
                store.record_wipe_exemption(data["serial"], data["exemption"], actor)
            store.move_device(data["serial"], DeviceState(data["to"]), actor, now)
            request.session[DONE_KEY] = f"Device {data['serial'][:60]} is now {DeviceState(data['to']).label.lower()}"
            return redirect("getonline:stock")
        text = _text(data["file"])
        if text is None:
            form.add_error("file", "The file is not UTF-8 text: save it as CSV UTF-8 and choose it again")
            return _stock_page(request, forms, form_errors(form))
        if what == "codes":
            batch = store.load_codes(text, data["kind"], data["operator"], data["file"].name, actor, now)
            done = f"{batch.code_count:,} codes loaded"
        elif data["what"] == "donations":
            done = f"{store.import_donations(text, actor, now):,} donated devices recorded"
        elif data["what"] == "wipes":
            done = f"{store.import_wipe_log(text, actor):,} wipe certificates recorded"
        else:
            done = f"{store.import_completions(text, actor):,} course completions recorded"
        request.session[DONE_KEY] = done
        return redirect("getonline:stock")
    except Refusal as refusal:
        return _stock_page(request, forms, [{"text": refusal.message, "href": "#s-serial"}])
    except ImportRefused as refused:
        message = f"The file was refused and nothing was loaded: {refused.total} problem(s), listed below the form"
        return _stock_page(request, forms, [{"text": message, "href": "#file-problems"}], refused)
