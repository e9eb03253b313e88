"""The hub staff's pages: the people their hub has helped, giving help, and asking for stock.

For hub workers of an approved hub's organisation; a worker sees and changes only their own hub's
people and stock. Each refusal by a rule is shown on the page, in words, and audited by the store."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boroughhub.audit import session_reference
from boroughhub.getonline import store
from boroughhub.getonline.forms import (
    AGE_BANDS,
    ELIGIBILITY,
    CourseForm,
    PersonForm,
    StockRequestForm,
    borough_choices,
)
from boroughhub.getonline.models import Code, Device, Help, Hub, Person
from boroughhub.getonline.rules import (
    REPEAT_INTERVALS,
    RETENTION_YEARS,
    DeviceState,
    HelpKind,
    Refusal,
    retain_until,
)
from boroughhub.organisations import Role, error_list, require_role

NOT_A_HUB = "Your organisation is not an approved Get Online London hub. Ask the service team to approve it."


def who(request: HttpRequest) -> dict[str, Any]:
    acting = request.acting  # type: ignore[attr-defined]
    return {"user": acting.user, "org_id": acting.org_id, "role": str(acting.role),
            "session_id": session_reference(request)}


def hub_of(request: HttpRequest) -> Hub:
    hub = store.hub_of_organisation(request.acting.org_id)  # type: ignore[attr-defined]
    if hub is None:
        raise PermissionDenied(NOT_A_HUB)
    return hub


def _person_or_404(hub: Hub, reference: str) -> Person:
    person = Person.objects.filter(hub=hub, reference=reference).first()
    if person is None:
        raise Http404("No such person at your hub")
    return person


@require_GET
@require_role(Role.INCLUSION_WORKER)
def hub_home(request: HttpRequest) -> HttpResponse:
    hub = hub_of(request)
    people = Person.objects.filter(hub=hub).order_by("-recorded_at")[:50]
    codes_left = {kind: Code.objects.filter(hub=hub, batch__kind=kind, person__isnull=True).count()
                  for kind in ("sim", "voucher")}
    devices = Device.objects.filter(hub=hub).exclude(state__in=[DeviceState.HANDED_OVER, DeviceState.RECYCLED])
    context = {"hub": hub, "people": people, "people_count": Person.objects.filter(hub=hub).count(),
               "codes_left": codes_left, "devices": devices, "requests": hub.requests.order_by("-requested_at")[:10]}
    return render(request, "getonline/hub_home.html", context)


@require_http_methods(["GET", "POST"])
@require_role(Role.INCLUSION_WORKER)
def new_person(request: HttpRequest) -> HttpResponse:
    hub = hub_of(request)
    form = PersonForm(request.POST or None, initial={"borough": hub.borough})
    if request.method == "POST" and form.is_valid():
        now = store.london_now()
        today = now.date()
        fields = {"reference": form.cleaned_data["reference"], "borough": form.cleaned_data["borough"],
                  "age_band": form.cleaned_data["age_band"], "eligibility": form.cleaned_data["eligibility"],
                  "consent_given_on": today,
                  "retain_until": retain_until(today)}
        try:
            person = store.register_person(hub, fields, who(request), now)
            return redirect("getonline:person", reference=person.reference)
        except Refusal as refusal:
            form.add_error("reference", refusal.message)
    errors = error_list(form) if form.is_bound else []
    context = {"hub": hub, "form": form, "form_errors": errors, "borough_choices": borough_choices(),
               "age_bands": AGE_BANDS, "eligibility": ELIGIBILITY, "retention_years": RETENTION_YEARS}
    return render(request, "getonline/person_new.html", context, status=400 if errors else 200)


def _person_page(request: HttpRequest, hub: Hub, person: Person, errors: list[dict[str, str]],
                 done: str = "") -> HttpResponse:
    context = {"hub": hub, "person": person, "form_errors": errors, "done": done,
               "help": Help.objects.filter(person=person).order_by("-given_on", "-pk"),
               "allocated": Device.objects.filter(person=person, state=DeviceState.ALLOCATED),
               "eligibility": dict(ELIGIBILITY),
               "intervals": {kind.value: interval.days for kind, interval in REPEAT_INTERVALS.items() if interval.days},
               "held": Device.objects.filter(hub=hub, state__in=[DeviceState.DONATED, DeviceState.COLLECTED,
                                                                 DeviceState.WIPED, DeviceState.REFURBISHED])}
    return render(request, "getonline/person.html", context, status=400 if errors else 200)


@require_GET
@require_role(Role.INCLUSION_WORKER)
def person_page(request: HttpRequest, reference: str) -> HttpResponse:
    hub = hub_of(request)
    return _person_page(request, hub, _person_or_404(hub, reference), [], request.GET.get("done", ""))


DONE = {"sim": "SIM card code issued", "voucher": "Data voucher code issued", "device": "Device allocated",
        "skills": "Referred to the course", "handed_over": "Device handed over"}


@require_POST
@require_role(Role.INCLUSION_WORKER)
def give_help(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    hub = hub_of(request)
    person = _person_or_404(hub, reference)
    now = store.london_now()
    reason = request.POST.get("reason", "").strip()[:300]
    field = {"device": "serial", "skills": "course"}.get(kind, f"reason-{kind}")
    try:
        if kind in ("sim", "voucher"):
            store.issue_code(hub, person, kind, reason, who(request), now)
        elif kind == HelpKind.DEVICE:
            serial = request.POST.get("serial", "").strip()
            if not serial:
                return _person_page(request, hub, person, [{"text": "Enter the device's serial number", "href": "#serial"}])
            store.allocate_device(hub, serial, person, reason, who(request), now)
        elif kind == HelpKind.SKILLS:
            form = CourseForm(request.POST)
            if not form.is_valid():
                return _person_page(request, hub, person, error_list(form))
            store.refer_to_course(hub, person, form.cleaned_data["course"], who(request), now)
        elif kind == "handed_over":
            device = Device.objects.filter(person=person, hub=hub, state=DeviceState.ALLOCATED).first()
            if device is None:
                raise Http404("No device allocated to this person")
            store.move_device(device.serial, DeviceState.HANDED_OVER, who(request), now, hub=hub)
        else:
            raise Http404("No such kind of help")
    except Refusal as refusal:
        return _person_page(request, hub, person, [{"text": refusal.message, "href": f"#{field}"}])
    return redirect(f"/get-online/hub/people/{person.reference}?done={kind}")


@require_http_methods(["GET", "POST"])
@require_role(Role.INCLUSION_WORKER)
def request_stock(request: HttpRequest) -> HttpResponse:
    hub = hub_of(request)
    form = StockRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            store.request_stock(hub, form.cleaned_data["kind"], form.cleaned_data["quantity"], who(request),
                                store.london_now())
            return redirect("getonline:hub")
        except Refusal as refusal:
            form.add_error("kind", refusal.message)
    errors = error_list(form) if form.is_bound else []
    context = {"hub": hub, "form": form, "form_errors": errors,
               "open_count": hub.requests.filter(status="open").count()}
    return render(request, "getonline/request_new.html", context, status=400 if errors else 200)
