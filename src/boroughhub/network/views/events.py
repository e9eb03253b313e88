"""Event pages: the public list, an event and its calendar file, a series and its feed, registering and
giving up a place, and the organiser's pages (new event, attendees and check-in, downloads, cancelling).

Who sees an event is its audience (``events.audience``); an organiser manages only their organisation's
events. An event someone may not see answers 404, so its existence is not given away.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boroughhub.audit import record_request_event
from boroughhub.network.clock import network_now
from boroughhub.network.events.attendees import attendees_csv, attendees_xlsx
from boroughhub.network.events.audience import Audience
from boroughhub.network.events.calendar import calendar_file
from boroughhub.network.events.places import Outcome, places_left
from boroughhub.network.forms import CancelEventForm, EventForm, SeriesForm
from boroughhub.network.models import Event, EventSeries, Registration
from boroughhub.network.store import events as store
from boroughhub.network.store.notices import messages_for
from boroughhub.organisations import Role, require_role

from .common import CSV, XLSX, acting_of, acting_role, download, form_errors

CALENDAR = "text/calendar; charset=utf-8"
#: What the event page says after a change (the change itself is made by the POST before the redirect).
OUTCOME_MESSAGES = {
    "registered": "You are registered. Add the event to your calendar below.",
    "waitlisted": "The places are taken: you are on the wait-list. If a place comes free it is yours and we will tell you.",
    "gave-up": "You have given up your place.",
    "created": "Event created. It is listed on the events page.",
    "cancelled": "The event is cancelled and everyone registered or waiting has been told.",
}


def _visible_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("organisation", "series"), slug=slug)
    if not store.event_visible(event, acting_role(request)):
        raise Http404("No such event")
    return event


def _organises(request: HttpRequest, event: Event) -> bool:
    acting = acting_of(request)
    return (acting is not None and acting.role == Role.EVENT_ORGANISER
            and acting.organisation.pk == event.organisation_id)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    role = acting_role(request)
    events = list(store.upcoming_events(role))
    return render(request, "network/events/list.html", {
        "events": events, "role": role, "series": EventSeries.objects.all(),
        "may_create": role == Role.EVENT_ORGANISER})


@require_GET
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    acting = acting_of(request)
    registration = store.registration_of(event, acting.user if acting else None)
    taken = store.places_taken(event)
    now = network_now()
    return render(request, "network/events/event.html", {
        "event": event, "audience": Audience(event.audience), "registration": registration,
        "places_left": places_left(event.capacity, taken), "waiting": store.waiting_count(event),
        "open_for_registration": event.cancelled_at is None and now < event.starts_at,
        "organises": _organises(request, event), "message": OUTCOME_MESSAGES.get(request.GET.get("done", ""))})


@require_GET
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    content = calendar_file([store.calendar_entry(event, _base_url(request))], event.title)
    response = HttpResponse(content, content_type=CALENDAR)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_GET
def series_page(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(EventSeries, slug=slug)
    events = store.visible_events(acting_role(request)).filter(series=series)
    return render(request, "network/events/series.html", {"series": series, "events": events})


@require_GET
def series_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(EventSeries, slug=slug)
    events = store.visible_events(acting_role(request)).filter(series=series)
    content = calendar_file([store.calendar_entry(e, _base_url(request)) for e in events], series.title)
    response = HttpResponse(content, content_type=CALENDAR)
    response["Content-Disposition"] = f'attachment; filename="{series.slug}.ics"'
    return response


@require_POST
@require_role()
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    acting = acting_of(request)
    answer = store.register(event.pk, acting.user, acting.organisation.pk, str(acting.role))
    if answer.outcome is Outcome.REFUSED:
        return render(request, "network/events/refused.html", {"event": event, "reason": answer.reason}, status=409)
    return redirect(f"/events/{event.slug}/?done={answer.outcome.value}")


@require_POST
@require_role()
def give_up_place(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request, slug)
    store.cancel_place(event.pk, acting_of(request).user)
    return redirect(f"/events/{event.slug}/?done=gave-up")


@require_GET
@require_role()
def my_events(request: HttpRequest) -> HttpResponse:
    user = acting_of(request).user
    registrations = (Registration.objects.filter(user=user).exclude(status=Registration.CANCELLED)
                     .select_related("event").order_by("event__starts_at"))
    return render(request, "network/events/mine.html", {
        "registrations": registrations, "messages_sent": messages_for(user),
        "attended": store.sessions_attended(user)})


@require_http_methods(["GET", "POST"])
@require_role(Role.EVENT_ORGANISER)
def new_event(request: HttpRequest) -> HttpResponse:
    series_choices = [(s.slug, s.title) for s in EventSeries.objects.all()]
    form = EventForm(request.POST if request.method == "POST" else None, series_choices=series_choices)
    if request.method == "POST" and form.is_valid() and form.starts_at and form.ends_at:
        acting = acting_of(request)
        data = form.cleaned_data
        event = store.create_event(store.NewEvent(
            data["title"], data["description"], Audience(data["audience"]), data["attendance"] == "online",
            data.get("venue", ""), data["capacity"], form.starts_at, form.ends_at, data.get("series", "")),
            acting.organisation.pk, acting.user)
        return redirect(f"/events/{event.slug}/?done=created")
    return render(request, "network/events/new.html", {
        "form": form, "form_errors": form_errors(form), "value": form.data})


def _organised_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not _organises(request, event):
        raise Http404("Not an event your organisation runs")
    return event


@require_http_methods(["GET", "POST"])
@require_role(Role.EVENT_ORGANISER)
def attendees(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event(request, slug)
    capacity_error = ""
    if request.method == "POST" and request.POST.get("step") == "capacity":
        places = request.POST.get("capacity", "").strip()
        if places.isdigit() and 1 <= int(places) <= 5000:
            # More places promote the first people waiting (and tell them).
            store.change_capacity(event.pk, int(places), acting_of(request).user)
            return redirect(f"/events/{event.slug}/attendees")
        capacity_error = "Enter the number of places as a whole number from 1 to 5000."
    elif request.method == "POST":
        registration = request.POST.get("registration", "")
        if registration.isdigit():  # anything else is not a registration of this event: nothing to check in
            store.check_in(event.pk, int(registration), acting_of(request).user)
        return redirect(f"/events/{event.slug}/attendees")
    registrations = event.registrations.exclude(status=Registration.CANCELLED).select_related("user", "organisation")
    record_request_event(request, "access", "ok", action="attendees_viewed", payload={"event": event.slug})
    return render(request, "network/events/attendees.html", {
        "event": event, "registrations": registrations, "taken": store.places_taken(event),
        "capacity_error": capacity_error,
        "form_errors": [{"text": capacity_error, "href": "#capacity"}] if capacity_error else []})


@require_GET
@require_role(Role.EVENT_ORGANISER)
def attendees_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = _organised_event(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Download the attendee list as attendees.csv or attendees.xlsx")
    rows = store.attendee_rows(event)
    record_request_event(request, "access", "ok", action="attendees_exported", row_count=len(rows),
                         payload={"event": event.slug, "format": fmt})
    if fmt == "xlsx":
        return download(attendees_xlsx(rows, event.title), XLSX, f"{event.slug}-attendees.xlsx")
    return download(attendees_csv(rows), CSV, f"{event.slug}-attendees.csv")


@require_http_methods(["GET", "POST"])
@require_role(Role.EVENT_ORGANISER)
def cancel_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event(request, slug)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        store.cancel_event(event.pk, form.cleaned_data["reason"], acting_of(request).user)
        return redirect(f"/events/{event.slug}/?done=cancelled")
    return render(request, "network/events/cancel.html", {
        "event": event, "form": form, "form_errors": form_errors(form)})


@require_http_methods(["GET", "POST"])
@require_role(Role.EVENT_ORGANISER)
def new_series(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        acting = acting_of(request)
        series = store.create_series(form.cleaned_data["title"], form.cleaned_data["description"], acting.user,
                                     acting.organisation.pk)
        return redirect(f"/events/series/{series.slug}/")
    return render(request, "network/events/new_series.html", {"form": form, "form_errors": form_errors(form)})
