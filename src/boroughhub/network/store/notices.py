"""Messages to people about their places, through the hub's one notification outbox (mail in production).

Each message goes to the person (``user``) in the organisation and role they registered with, and has a
key so the same news is never sent twice (a retried request does not notify again).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from boroughhub.agreements import Notification
from boroughhub.audit import record_event
from boroughhub.network.clock import network_now
from boroughhub.network.models import Registration


def notify_registrant(registration: Registration, kind: str, subject: str, body: str, *, key: str) -> bool:
    try:
        with transaction.atomic():
            Notification.objects.create(
                organisation_id=registration.organisation_id, role=registration.role, user_id=registration.user_id,
                kind=kind, subject=subject, body=body, link=f"/events/{registration.event.slug}/",
                key=key, created_at=network_now())
    except IntegrityError:
        return False
    record_event("notification", "ok", user="system", org_id=registration.organisation_id,
                 action=kind, payload={"event": registration.event.slug, "registration": registration.pk})
    return True


def messages_for(user: object, limit: int = 20) -> list[Notification]:
    """The event messages sent to one person, newest first (the "Your events" page shows them)."""
    return list(Notification.objects.filter(user=user, kind__startswith="event_")[:limit])
