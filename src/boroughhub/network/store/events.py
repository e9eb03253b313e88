"""Events on the database side: creating, registering, freeing places (and promoting from the wait-list),
cancelling, checking in. Each change runs in one transaction holding the event's row, so two people
cannot take the last place at once, and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from boroughhub.audit import record_event
from boroughhub.network.clock import london_time_text, network_now
from boroughhub.network.events.attendees import AttendeeRow
from boroughhub.network.events.audience import Audience, audiences_seen_by, may_see
from boroughhub.network.events.calendar import CalendarEntry
from boroughhub.network.events.places import (
    EventFacts,
    Outcome,
    RegistrationAnswer,
    answer_registration,
    to_promote,
)
from boroughhub.network.models import Event, EventSeries, Registration

from .notices import notify_registrant

#: Addresses under /events/ that are pages, not events: never given to an event as its slug.
RESERVED_SLUGS = frozenset({"new", "mine", "series"})
HOLDS_A_PLACE = (Registration.REGISTERED, Registration.WAITLISTED)


@dataclass(frozen=True)
class NewEvent:
    title: str
    description: str
    audience: Audience
    online: bool
    venue: str
    capacity: int
    starts_at: datetime
    ends_at: datetime
    series_slug: str = ""


def unique_slug(title: str, starts_at: datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m-%d}")[:90] or "event"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_event(new: NewEvent, organisation_id: str, created_by: Any, role: str = "event_organiser") -> Event:
    with transaction.atomic():
        series = EventSeries.objects.get(slug=new.series_slug) if new.series_slug else None
        event = Event.objects.create(
            slug=unique_slug(new.title, new.starts_at), title=new.title, description=new.description,
            audience=new.audience.value, organisation_id=organisation_id, series=series, online=new.online,
            venue=new.venue, capacity=new.capacity, starts_at=new.starts_at, ends_at=new.ends_at,
            created_by=created_by, changed_at=network_now())
        record_event("registry", "ok", user=created_by, org_id=organisation_id, role=role, action="event_created",
                     payload={"event": event.slug, "audience": event.audience, "capacity": event.capacity})
    return event


def create_series(title: str, description: str, by: Any, organisation_id: str) -> EventSeries:
    base = slugify(title)[:70] or "series"
    slug, n = base, 2
    while slug == "new" or EventSeries.objects.filter(slug=slug).exists():  # /events/series/new is the form
        slug, n = f"{base}-{n}", n + 1
    with transaction.atomic():
        series = EventSeries.objects.create(slug=slug, title=title, description=description)
        record_event("registry", "ok", user=by, org_id=organisation_id, role="event_organiser",
                     action="event_series_created", payload={"series": slug})
    return series


def visible_events(role: str | None) -> QuerySet[Event]:
    audiences = [audience.value for audience in audiences_seen_by(role)]
    return Event.objects.filter(audience__in=audiences).select_related("organisation", "series")


def upcoming_events(role: str | None, now: datetime | None = None) -> QuerySet[Event]:
    """Events that have not ended, soonest first (cancelled ones stay listed, marked, until they would have ended)."""
    return visible_events(role).filter(ends_at__gte=now or network_now())


def event_visible(event: Event, role: str | None) -> bool:
    return may_see(event.audience, role)


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=Registration.REGISTERED).count()


def waiting_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.WAITLISTED).count()


def registration_of(event: Event, user: Any) -> Registration | None:
    if user is None:
        return None
    return event.registrations.filter(user=user).first()


def _facts(event: Event) -> EventFacts:
    return EventFacts(event.capacity, event.starts_at, event.cancelled_at is not None)


def register(event_id: int, user: Any, organisation_id: str, role: str) -> RegistrationAnswer:
    """A place, or the wait-list when the places are taken; refused once the event has started."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if not may_see(event.audience, role):
            return RegistrationAnswer(Outcome.REFUSED, f"This event is for: {Audience(event.audience).label.lower()}.")
        now = network_now()
        existing = registration_of(event, user)
        answer = answer_registration(_facts(event), places_taken(event),
                                     existing is not None and existing.status in HOLDS_A_PLACE, now)
        if answer.outcome is Outcome.REFUSED:
            return answer
        status = Registration.REGISTERED if answer.outcome is Outcome.REGISTERED else Registration.WAITLISTED
        if existing is None:
            existing = Registration.objects.create(event=event, user=user, organisation_id=organisation_id, role=role,
                                                   status=status, queued_at=now)
        else:  # registering again after cancelling: to the back of the queue
            existing.status, existing.queued_at, existing.checked_in_at = status, now, None
            existing.organisation_id, existing.role = organisation_id, role
            existing.save()
        record_event("decision", "ok", user=user, org_id=organisation_id, role=role,
                     action=f"event_{answer.outcome.value}", payload={"event": event.slug, "registration": existing.pk})
    return answer


def cancel_place(event_id: int, user: Any) -> list[Registration]:
    """Give up a place (or leave the wait-list); returns whoever was promoted into the freed place."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        registration = registration_of(event, user)
        if registration is None or registration.status not in HOLDS_A_PLACE:
            return []
        registration.status = Registration.CANCELLED
        registration.save(update_fields=["status"])
        record_event("decision", "ok", user=user, org_id=registration.organisation_id, role=registration.role,
                     action="event_place_freed", payload={"event": event.slug, "registration": registration.pk})
        return _promote_waiting(event)


def _promote_waiting(event: Event) -> list[Registration]:
    if event.cancelled_at is not None:
        return []
    waiting = list(event.registrations.filter(status=Registration.WAITLISTED).order_by("queued_at", "id"))
    promoted = to_promote(event.capacity, places_taken(event), waiting, network_now(), event.starts_at)
    for registration in promoted:
        registration.status = Registration.REGISTERED
        registration.save(update_fields=["status"])
        record_event("decision", "ok", user="system", org_id=registration.organisation_id,
                     action="event_promoted", payload={"event": event.slug, "registration": registration.pk})
        notify_registrant(
            registration, "event_place_offered", f"You have a place at {event.title}",
            f"A place came free and it is yours: {event.title}, {london_time_text(event.starts_at)}. "
            "If you can no longer come, cancel your place on the event's page so it goes to the next person.",
            key=f"network:promoted:{registration.pk}:{registration.queued_at.isoformat()}")
    return promoted


def change_capacity(event_id: int, capacity: int, by: Any) -> list[Registration]:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        event.capacity, event.changed_at = capacity, network_now()
        event.save(update_fields=["capacity", "changed_at"])
        record_event("registry", "ok", user=by, org_id=event.organisation_id, action="event_capacity",
                     payload={"event": event.slug, "capacity": capacity})
        return _promote_waiting(event)


def cancel_event(event_id: int, reason: str, by: Any) -> int:
    """Cancel an event and tell everyone holding a place or waiting; returns how many were told."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if event.cancelled_at is not None:
            return 0
        event.cancelled_at = event.changed_at = network_now()
        event.cancellation_reason, event.sequence = reason, event.sequence + 1
        event.save()
        told = 0
        for registration in event.registrations.filter(status__in=HOLDS_A_PLACE).select_related("event"):
            told += notify_registrant(
                registration, "event_cancelled", f"Cancelled: {event.title}",
                f"{event.title} on {london_time_text(event.starts_at)} has been cancelled. {reason}".strip(),
                key=f"network:cancelled:{registration.pk}:{event.sequence}")
        record_event("registry", "ok", user=by, org_id=event.organisation_id, action="event_cancelled",
                     payload={"event": event.slug, "told": told})
    return told


def check_in(event_id: int, registration_id: int, by: Any) -> bool:
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(
            pk=registration_id, event_id=event_id, status=Registration.REGISTERED).first()
        if registration is None:
            return False
        registration.checked_in_at = registration.checked_in_at or network_now()
        registration.save(update_fields=["checked_in_at"])
        record_event("registry", "ok", user=by, action="event_check_in",
                     payload={"event_id": event_id, "registration": registration_id})
    return True


def attendee_rows(event: Event) -> list[AttendeeRow]:
    rows = event.registrations.exclude(status=Registration.CANCELLED).select_related("user", "organisation")
    return [AttendeeRow(r.user.display_name or r.user.email, r.user.email, r.organisation.name,
                        r.get_status_display(), r.queued_at, r.checked_in_at) for r in rows]


def calendar_entry(event: Event, base_url: str) -> CalendarEntry:
    description = event.description
    if event.cancelled_at is not None:
        description = f"Cancelled. {event.cancellation_reason}\n\n{description}"
    return CalendarEntry(event.slug, event.title, description, event.starts_at, event.ends_at, event.place,
                         f"{base_url}/events/{event.slug}/", event.changed_at, event.sequence,
                         event.cancelled_at is not None)


def sessions_attended(user: Any) -> QuerySet[Registration]:
    """The events a person was checked in at: an apprentice's portfolio record."""
    return (Registration.objects.filter(user=user, checked_in_at__isnull=False)
            .select_related("event", "event__organisation").order_by("event__starts_at"))
