"""A locked-out sign-in attempt is audited once, not once by the view and again by django-axes."""

from __future__ import annotations

import pytest

from boroughhub.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def lockout_entries():
    return [e for e in AuditEntry.objects.filter(event_type="session") if e.payload.get("reason") == "locked_out"]


def test_each_locked_out_attempt_is_audited_once(client, make_user, settings):
    make_user("target@camden.test", "camden", "analyst")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/sign-in", {"email": "target@camden.test", "password": "guess-guess-guess"})
    assert lockout_entries() == []
    for attempt in range(1, 4):  # the attempt that locks the account, then two while it is locked
        response = client.post("/sign-in", {"email": "target@camden.test", "password": "guess-guess-guess"})
        assert response.status_code == 429
        assert len(lockout_entries()) == attempt
