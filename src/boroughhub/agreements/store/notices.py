"""The clock of the agreements store and the in-hub notifications it sends (spec §2.7).

The lifecycle, signing, reminders and enforcement all notify people; they share this one function
(and one "now") rather than reaching into each other.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import IntegrityError, transaction  # noqa: TID251 (store is the database side)

from boroughhub.agreements.models import Notification


def now() -> datetime:
    return datetime.now(UTC)


def notify(org_id: str, role: str, kind: str, subject: str, body: str, *, link: str, key: str | None) -> bool:
    """Add a notification for ``role`` holders of ``org_id``; False if ``key`` was already sent."""
    try:
        with transaction.atomic():
            Notification.objects.create(organisation_id=org_id, role=role, kind=kind, subject=subject, body=body,
                                        link=link, key=key, created_at=now())
    except IntegrityError:
        return False
    return True
