"""Places on an event: registration closes at the start time and when the places are taken (then the
wait-list), and a freed place goes to the first person waiting.

Plain rules over plain facts; the store applies them inside one transaction holding the event's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

Key = TypeVar("Key")


class Outcome(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    REFUSED = "refused"


@dataclass(frozen=True)
class EventFacts:
    capacity: int
    starts_at: datetime
    cancelled: bool


@dataclass(frozen=True)
class RegistrationAnswer:
    outcome: Outcome
    reason: str = ""


def answer_registration(event: EventFacts, places_taken: int, already_holds_a_place: bool,
                        now: datetime) -> RegistrationAnswer:
    """What happens when someone asks for a place now, with ``places_taken`` confirmed places."""
    if event.cancelled:
        return RegistrationAnswer(Outcome.REFUSED, "This event has been cancelled.")
    if now >= event.starts_at:
        return RegistrationAnswer(Outcome.REFUSED, "Registration closed when the event started.")
    if already_holds_a_place:
        return RegistrationAnswer(Outcome.REFUSED, "You are already registered or on the wait-list for this event.")
    if places_taken < event.capacity:
        return RegistrationAnswer(Outcome.REGISTERED)
    return RegistrationAnswer(Outcome.WAITLISTED)


def to_promote(capacity: int, places_taken: int, waiting_in_order: list[Key],
                    now: datetime, starts_at: datetime) -> list[Key]:
    """Who moves from the wait-list to a place: the first ones waiting, as many as there are free places.
    Nobody is promoted once the event has started (a place then cannot be used)."""
    if now >= starts_at:
        return []
    free = max(capacity - places_taken, 0)
    return waiting_in_order[:free]


def places_left(capacity: int, places_taken: int) -> int:
    return max(capacity - places_taken, 0)
