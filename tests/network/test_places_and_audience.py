"""Places, the wait-list and who an event is for: plain rules, no database."""

from datetime import UTC, datetime, timedelta

from boroughhub.network.events.audience import Audience, audiences_seen_by, may_see
from boroughhub.network.events.places import EventFacts, Outcome, answer_registration, places_left, to_promote

STARTS = datetime(2027, 6, 16, 17, 0, tzinfo=UTC)
BEFORE = STARTS - timedelta(days=3)


def test_places_then_the_wait_list_then_closed_at_the_start():
    event = EventFacts(capacity=2, starts_at=STARTS, cancelled=False)
    assert answer_registration(event, 0, False, BEFORE).outcome is Outcome.REGISTERED
    assert answer_registration(event, 1, False, BEFORE).outcome is Outcome.REGISTERED
    assert answer_registration(event, 2, False, BEFORE).outcome is Outcome.WAITLISTED
    at_start = answer_registration(event, 0, False, STARTS)
    assert at_start.outcome is Outcome.REFUSED and "started" in at_start.reason
    assert answer_registration(event, 0, False, STARTS - timedelta(seconds=1)).outcome is Outcome.REGISTERED


def test_a_cancelled_event_or_a_second_registration_is_refused_with_a_reason():
    cancelled = answer_registration(EventFacts(5, STARTS, True), 0, False, BEFORE)
    assert cancelled.outcome is Outcome.REFUSED and "cancelled" in cancelled.reason
    twice = answer_registration(EventFacts(5, STARTS, False), 1, True, BEFORE)
    assert twice.outcome is Outcome.REFUSED and "already" in twice.reason


def test_freed_places_go_to_the_first_waiting_in_order_and_never_after_the_start():
    waiting = ["first", "second", "third"]
    assert to_promote(2, 1, waiting, BEFORE, STARTS) == ["first"]
    assert to_promote(4, 1, waiting, BEFORE, STARTS) == ["first", "second", "third"]
    assert to_promote(2, 2, waiting, BEFORE, STARTS) == []
    assert to_promote(2, 0, waiting, STARTS, STARTS) == []
    assert places_left(2, 3) == 0


def test_the_audience_rule():
    assert may_see(Audience.PUBLIC, None)
    assert not may_see(Audience.MEMBERS, None) and may_see(Audience.MEMBERS, "analyst")
    assert not may_see(Audience.APPRENTICES, "analyst")
    assert may_see(Audience.APPRENTICES, "apprentice") and may_see("apprentices", "apprentice_manager")
    assert audiences_seen_by(None) == [Audience.PUBLIC]
    assert audiences_seen_by("event_organiser") == list(Audience)
